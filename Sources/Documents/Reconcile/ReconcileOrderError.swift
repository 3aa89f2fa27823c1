/// A side of the reconcile merge was not sorted in UTF-8 byte order, so its result would be wrong.
///
/// The merge stops rather than report false orphans: an index ordered by a locale collation (or a store that
/// does not list in byte order) would make matching keys pass each other unseen.
package struct ReconcileOrderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which stream went backwards.
    package enum Side: String, Sendable {
        case store
        case index
    }

    /// The stream that went backwards; the keys are not kept (they carry patient ids).
    package let side: Side

    /// Says which side was out of order, never the keys.
    package var description: String { "the \(side.rawValue) listing is not in UTF-8 byte order" }
}
