import Foundation

/// One file to import, as a manifest row names it: the values as written, checked later, one row at a time, so
/// that a bad value refuses its row and not the whole manifest.
package struct ManifestRow: Sendable, Equatable {
    /// The line the row starts on (1-based; the header is line 1).
    package let line: Int
    /// A local path, or `s3://bucket/key` on the configured endpoint.
    package let source: String
    package let fileName: String
    package let category: String
    package let entityType: String
    package let entityID: String
    /// An RFC 3339 date-time, or empty for the time of the import.
    package let uploadedAt: String
    /// An existing user's e-mail address or id, or empty for no uploader.
    package let uploadedBy: String
}

/// Which column of the manifest holds which value, from its header row (columns in any order, names exact).
struct ManifestColumns: Sendable {
    static let required = ["source", "fileName", "category", "entityType", "entityId"]
    static let optional = ["uploadedAt", "uploadedBy"]

    private let index: [String: Int]
    let count: Int

    /// Reads the header; refuses one that lacks a required column or names a column twice. Unknown columns are
    /// ignored (a spreadsheet's notes column, say).
    init(header: [String]) throws(ManifestError) {
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() {
            let name = name.trimmingCharacters(in: .whitespaces)
            guard index[name] == nil else { throw .duplicateColumn(name) }
            index[name] = position
        }
        let missing = Self.required.filter { index[$0] == nil }
        guard missing.isEmpty else { throw .missingColumns(missing) }
        self.index = index
        self.count = header.count
    }

    /// The row a record holds; refuses a record with another number of fields than the header.
    func row(_ record: CSVRecordParser.Record) throws(ManifestError) -> ManifestRow {
        guard record.fields.count == count else { throw .fieldCount(line: record.line, expected: count, found: record.fields.count) }
        func value(_ name: String) -> String { index[name].map { record.fields[$0] } ?? "" }
        return ManifestRow(
            line: record.line,
            source: value("source"),
            fileName: value("fileName"),
            category: value("category"),
            entityType: value("entityType"),
            entityID: value("entityId"),
            uploadedAt: value("uploadedAt"),
            uploadedBy: value("uploadedBy")
        )
    }
}
