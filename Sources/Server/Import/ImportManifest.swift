import Foundation

/// A manifest file of `medvault import`: CSV (RFC 4180) with a header row naming the columns, one file per row.
///
/// It is read a chunk at a time, never whole, and may be read twice: once to check it all before anything is stored
/// (a malformed manifest imports nothing), then to import.
package struct ImportManifest: Sendable {
    static let chunkSize = 64 * 1024

    package let path: String

    package init(path: String) {
        self.path = path
    }

    /// Hands every row to `body` in order. Throws ``ManifestError`` for a manifest that cannot be read or is not
    /// well-formed, at the first fault.
    package func forEachRow(_ body: (ManifestRow) async throws -> Void) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ManifestError.unreadable("it cannot be opened") }
        defer { try? handle.close() }
        var parser = CSVRecordParser()
        var columns: ManifestColumns?
        func take(_ record: CSVRecordParser.Record) async throws {
            guard let columns else {
                columns = try ManifestColumns(header: record.fields)
                return
            }
            try await body(try columns.row(record))
        }
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
            } catch {
                throw ManifestError.unreadable("reading it failed")
            }
            if chunk.isEmpty { break }
            for record in try parser.consume(chunk) { try await take(record) }
        }
        if let record = try parser.finish() { try await take(record) }
        guard columns != nil else { throw ManifestError.empty }
    }
}
