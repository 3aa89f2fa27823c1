import Foundation
import Testing

@testable import SigV4

/// Locates `../shared/sigv4` next to the repository (read at run time, never copied into the repo).
enum TestData {
    /// `<repo>/../shared/sigv4`, found from this file: `<repo>/Tests/SigV4Tests/TestData.swift`.
    static let directory: URL = {
        let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let repository = file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repository.deletingLastPathComponent().appendingPathComponent("shared/sigv4", isDirectory: true)
    }()

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// `2015-08-30T12:36:00Z` → the same instant.
    static func date(iso8601 text: String) throws -> Date {
        try AmzDate(parsing: text.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")).date
    }
}

/// A decoded `(name, value)` list of `name=value&...`, percent-decoding both (raw UTF-8 passes through).
func decodedQuery(_ raw: Substring) -> [(name: String, value: String)] {
    raw.split(separator: "&").map { piece in
        let name = piece.prefix { $0 != "=" }
        let value = piece.dropFirst(name.count + 1)
        return (
            String(decoding: URIEncoding.percentDecoded(name.utf8) ?? [], as: UTF8.self),
            String(decoding: URIEncoding.percentDecoded(value.utf8) ?? [], as: UTF8.self)
        )
    }
}

/// The query pairs as a sorted list of `name=value` strings, to compare URLs whose parameter order differs.
func querySet(_ raw: Substring) -> [String] {
    decodedQuery(raw).map { "\($0.name)=\($0.value)" }.sorted()
}

/// Splits a URL into `scheme://host/path` and its query.
func splitURL(_ url: String) -> (base: Substring, query: Substring) {
    guard let mark = url.firstIndex(of: "?") else { return (url[...], "") }
    return (url[..<mark], url[url.index(after: mark)...])
}
