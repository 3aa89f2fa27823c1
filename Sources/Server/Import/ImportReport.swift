import Documents
import Foundation

/// The report of `medvault import`: one CSV line (RFC 4180) per manifest row, written as each row ends, saying what
/// became of its source: `imported` or `skipped` with the document's `id` and `key`, `refused` with the `code` and its `message`, or
/// under `--dry-run` `would_import` / `would_skip`.
///
/// - important: the report names sources and keys (which carry patient ids): it is the operator's record, like the
///   manifest, and is written with owner-only permissions.
package final class ImportReport {
    static let header = ["line", "source", "status", "id", "key", "code", "message", "sha256"]

    private let handle: FileHandle

    /// Creates (or truncates) the report at `path` and writes its header.
    package init(path: String) throws(ManifestError) {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw .reportUnwritable }
        self.handle = handle
        try write(Self.header)
    }

    /// Appends the line of one row.
    package func write(_ outcome: ImportOutcome) throws(ManifestError) {
        try write([
            String(outcome.row.line), outcome.row.source, outcome.status.rawValue, outcome.documentID?.lowercaseText ?? "",
            outcome.key ?? "", outcome.code ?? "", outcome.message ?? "", outcome.sha256 ?? "",
        ])
    }

    /// Closes the file.
    package func close() {
        try? handle.close()
    }

    private func write(_ fields: [String]) throws(ManifestError) {
        let line = fields.map(Self.quoted).joined(separator: ",") + "\r\n"
        do {
            try handle.write(contentsOf: Data(line.utf8))
        } catch {
            throw .reportUnwritable
        }
    }

    /// A field as RFC 4180 writes it: quoted, quotes doubled, when it holds a comma, a quote or a line break.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
