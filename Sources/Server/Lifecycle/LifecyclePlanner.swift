import Foundation
import Persistence

/// Decides, from an index row alone, which lifecycle rule applies to a document at a given instant: pure, so the
/// server's timer, `medvault lifecycle run` and `--dry-run` all plan the same actions, and `--as-of` can preview any
/// instant.
///
/// A rule is due at exactly N days (N × 86 400 s) after its starting instant, not a second later. A document under
/// legal hold gets no action at all: a hold forbids expiring, transitioning and erasing alike.
package struct LifecyclePlanner: Sendable {
    package let rules: LifecycleRules

    package init(rules: LifecycleRules) {
        self.rules = rules
    }

    /// The action due for `record` at `instant`, or nil when none is (or the document is held).
    package func action(for record: DocumentRecord, at instant: Date) -> LifecycleAction? {
        guard !record.isHeld else { return nil }
        if record.key.hasPrefix(Self.tempPrefix) {
            guard Self.isDue(since: record.uploadedAt, days: rules.tempRetentionDays, at: instant) else { return nil }
            return LifecycleAction(.expire, documentID: record.id, key: record.key)
        }
        switch record.status {
        case .active:
            guard Self.isDue(since: record.uploadedAt, days: rules.archiveAfterDays, at: instant) else { return nil }
            return LifecycleAction(.transition(storageClass: rules.archiveStorageClass), documentID: record.id, key: record.key)
        case .archived:
            guard let days = rules.archivedRetentionDays, let archivedAt = record.archivedAt,
                Self.isDue(since: archivedAt, days: days, at: instant)
            else { return nil }
            return LifecycleAction(.erase, documentID: record.id, key: record.key)
        case .missing:
            // Its object is already gone; the row stays as the record of that until an erasure removes it.
            return nil
        }
    }

    /// The actions due for `records` at `instant`, in the order of the rows.
    package func plan(_ records: some Sequence<DocumentRecord>, at instant: Date) -> [LifecycleAction] {
        records.compactMap { action(for: $0, at: instant) }
    }

    static let tempPrefix = "temp/"
    static let secondsPerDay: TimeInterval = 86_400

    /// Whether `days` whole days have passed from `start` to `instant` (exactly N days counts).
    static func isDue(since start: Date, days: Int, at instant: Date) -> Bool {
        instant.timeIntervalSince(start) >= TimeInterval(days) * secondsPerDay
    }
}
