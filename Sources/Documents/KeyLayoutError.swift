/// Why a document key, list prefix or entity id was rejected.
///
/// ``code`` is stable and mapped to HTTP 400 by the server; ``message`` names the broken rule and is safe to
/// show: it never repeats the input, which may contain a patient id or a hostile string.
package struct KeyLayoutError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable {
        case invalidKey = "invalid_key"
        case invalidPrefix = "invalid_prefix"
        case invalidEntityID = "invalid_entity_id"
    }

    /// The individual rules of the layout; tests assert on them, messages are derived from them.
    enum Rule: Sendable, Hashable {
        case empty
        case tooLong
        case absolute
        case emptySegment
        case dotSegment
        case dotDotSegment
        case percent
        case backslash
        case controlCharacter
        case notNormalized
        case foreignPrefix
        case nestedArchive
        case wrongShape
        case unknownFolder
        case badEntityID
        case badUUID
        case badObjectName(ObjectNameRule.Violation)
    }

    let codeValue: Code
    let rule: Rule

    init(_ code: Code, rule: Rule) {
        self.codeValue = code
        self.rule = rule
    }

    /// The stable error code: `invalid_key`, `invalid_prefix` or `invalid_entity_id`.
    package var code: String { codeValue.rawValue }

    /// A human-readable statement of the broken rule, without the rejected input.
    package var message: String {
        let subject =
            switch codeValue {
            case .invalidKey: "key"
            case .invalidPrefix: "prefix"
            case .invalidEntityID: "entity id"
            }
        switch rule {
        case .empty: return "\(subject) is empty"
        case .tooLong: return "\(subject) is longer than \(KeySyntax.maxKeyBytes) bytes"
        case .absolute: return "\(subject) must not start with '/'"
        case .emptySegment: return "\(subject) contains an empty segment ('//' or a trailing '/')"
        case .dotSegment: return "\(subject) contains a '.' segment"
        case .dotDotSegment: return "\(subject) contains a '..' segment"
        case .percent: return "\(subject) contains '%'; keys are never percent-encoded"
        case .backslash: return "\(subject) contains a backslash"
        case .controlCharacter: return "\(subject) contains a control character"
        case .notNormalized: return "\(subject) is not in Unicode NFC form"
        case .foreignPrefix:
            return "\(subject) must start with patients/, providers/, appointments/, prescriptions/, temp/ or archived/"
        case .nestedArchive: return "\(subject) is archived twice ('archived/archived/')"
        case .wrongShape:
            return "\(subject) must have the form {root}/{entityId}/{folder}/{uuid}-{name}, temp/{uuid}-{name} or archived/{key}"
        case .unknownFolder: return "\(subject) has an unknown folder; expected one of \(FileCategory.allFolders.joined(separator: ", "))"
        case .badEntityID:
            let rule = "1 to \(EntityID.maxLength) characters of A-Z, a-z, 0-9, '_' or '-'"
            return codeValue == .invalidEntityID ? "entity id must be \(rule)" : "\(subject) has an invalid entity id (\(rule))"
        case .badUUID: return "\(subject) has an object name that does not start with a lowercase UUID and '-'"
        case .badObjectName(let violation): return "\(subject) has a file name that \(violation)"
        }
    }

    /// The code and message, for logs; the rejected input is never part of it.
    package var description: String { "\(code): \(message)" }
}
