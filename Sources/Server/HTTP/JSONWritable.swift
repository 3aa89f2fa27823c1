/// A response body that writes its own JSON with ``JSONWriter`` instead of going through `JSONEncoder`;
/// ``JSONResponse`` prefers this when the value offers it.
///
/// Conformers keep their `Encodable` conformance too, as the definition of the bytes: what they write must equal
/// what `JSONEncoder` makes of them with ``JSONResponse``'s options, and their tests check exactly that.
protocol JSONWritable {
    /// About how many bytes the JSON takes, so the buffer is allocated once.
    var estimatedJSONSize: Int { get }

    /// Writes the value as one JSON value.
    func writeJSON(to writer: inout JSONWriter)
}
