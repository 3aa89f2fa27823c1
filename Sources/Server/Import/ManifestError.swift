/// Why a manifest (or the configuration it needs) cannot be imported at all: `medvault import` then stores nothing and
/// exits 2. Messages name lines and columns, never a field's value, which may carry patient data.
package enum ManifestError: Error, Equatable, CustomStringConvertible {
    /// The manifest file cannot be opened or read.
    case unreadable(String)
    /// The text is not CSV as RFC 4180 describes it.
    case malformed(line: Int, String)
    /// The header row lacks required columns (named), or names one twice.
    case missingColumns([String])
    case duplicateColumn(String)
    /// A record has another number of fields than the header.
    case fieldCount(line: Int, expected: Int, found: Int)
    /// The manifest has no header row.
    case empty
    /// The report file cannot be created or written.
    case reportUnwritable
    /// An `s3://` source, but no S3 endpoint and credentials are configured to fetch it with.
    case s3NotConfigured(line: Int)

    package var description: String {
        switch self {
        case .unreadable(let reason): "the manifest cannot be read: \(reason)"
        case .malformed(let line, let reason): "the manifest is not valid CSV at line \(line): \(reason)"
        case .missingColumns(let names): "the manifest's header lacks the required column(s): \(names.joined(separator: ", "))"
        case .duplicateColumn(let name): "the manifest's header names the column \(name) twice"
        case .fieldCount(let line, let expected, let found): "line \(line) of the manifest has \(found) fields; the header has \(expected)"
        case .empty: "the manifest is empty; its first line must name the columns"
        case .reportUnwritable: "the report cannot be written"
        case .s3NotConfigured(let line): "line \(line) names an s3:// source, but no S3 endpoint and credentials are configured (AWS_*)"
        }
    }
}
