/// Why libmagic could not be set up; start-up fails with this error rather than running without sniffing.
package struct MagicSnifferError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable {
        case openFailed = "magic_open_failed"
        case loadFailed = "magic_load_failed"
    }

    let codeValue: Code
    /// libmagic's own explanation (`magic_error`), when it gave one; it names files of the magic database only.
    package let detail: String?

    init(_ code: Code, detail: String?) {
        self.codeValue = code
        self.detail = detail
    }

    /// A stable code: `magic_open_failed` or `magic_load_failed`.
    package var code: String { codeValue.rawValue }

    /// The code and libmagic's explanation, for the start-up log.
    package var description: String {
        switch codeValue {
        case .openFailed: "libmagic could not be opened (magic_open)"
        case .loadFailed: "the libmagic database could not be loaded (magic_load): \(detail ?? "no detail")"
        }
    }
}
