/// One element of an S3 XML document: its local name (namespace prefix dropped), its child elements and the
/// character data directly inside it.
struct S3XMLElement: Sendable, Equatable {
    /// The element's name without a namespace prefix (`Key`, `Contents`, `Error`).
    var name: String
    /// Child elements, in document order.
    var children: [S3XMLElement] = []
    /// The element's own character data, entities decoded, not trimmed (object keys may start or end with spaces).
    var text: String = ""

    /// The first child called `name`.
    func child(_ name: String) -> S3XMLElement? {
        self.children.first { $0.name == name }
    }

    /// Every child called `name`, in order.
    func children(_ name: String) -> [S3XMLElement] {
        self.children.filter { $0.name == name }
    }

    /// The text of the first child called `name`.
    func text(of name: String) -> String? {
        self.child(name)?.text
    }
}

/// Why an S3 answer could not be read as XML; `offset` is the byte where reading stopped.
struct S3XMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, without quoting the document (it may hold object keys).
    let reason: String
    /// The byte offset in the document.
    let offset: Int

    var description: String { "malformed S3 XML at byte \(self.offset): \(self.reason)" }
}

/// A small, strict XML reader for the documents S3 sends (ListBucketResult, InitiateMultipartUploadResult,
/// CompleteMultipartUploadResult, CopyObjectResult, ListMultipartUploadsResult, Error).
///
/// Why not Foundation's `XMLParser`: on Linux it is FoundationXML over libxml2, whose global state is not
/// thread-safe by default and whose maintainers advise against it for untrusted input
/// (swift-corelibs-foundation#5237). S3's answers need only elements, attributes (skipped), character data,
/// CDATA, comments, processing instructions and the predefined and numeric character references (XML 1.0 §4.1,
/// §4.6). A DOCTYPE is refused, so no entity can ever be declared or expanded. Callers bound the input size;
/// nesting is bounded here.
enum S3XMLReader {
    /// Deeper than any S3 document (ListMultipartUploadsResult › Upload › Initiator › ID is 4).
    static let maximumDepth = 32

    /// Parses a whole document and returns its root element.
    static func parse(_ bytes: [UInt8]) throws(S3XMLError) -> S3XMLElement {
        var scanner = Scanner(bytes: bytes)
        scanner.skipByteOrderMark()
        try scanner.skipMisc()
        guard scanner.peek() == UInt8(ascii: "<") else { throw scanner.error("expected the root element") }
        let root = try scanner.element(depth: 1)
        try scanner.skipMisc()
        guard scanner.isAtEnd else { throw scanner.error("content after the root element") }
        return root
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        var isAtEnd: Bool { self.index >= self.bytes.count }

        func peek(_ offset: Int = 0) -> UInt8? {
            self.index + offset < self.bytes.count ? self.bytes[self.index + offset] : nil
        }

        func error(_ reason: String) -> S3XMLError {
            S3XMLError(reason: reason, offset: self.index)
        }

        func hasPrefix(_ literal: String) -> Bool {
            var offset = 0
            for byte in literal.utf8 {
                guard self.peek(offset) == byte else { return false }
                offset += 1
            }
            return true
        }

        mutating func skipByteOrderMark() {
            if self.hasPrefix("\u{FEFF}") { self.index += 3 }
        }

        mutating func skipWhitespace() {
            while let byte = self.peek(), Self.isWhitespace(byte) { self.index += 1 }
        }

        /// Skips whitespace, comments and processing instructions (the XML declaration is one) between markup.
        mutating func skipMisc() throws(S3XMLError) {
            while true {
                self.skipWhitespace()
                if self.hasPrefix("<?") {
                    try self.skip(past: "?>")
                } else if self.hasPrefix("<!--") {
                    try self.skip(past: "-->")
                } else if self.hasPrefix("<!") {
                    throw self.error("document type declarations are not accepted")
                } else {
                    return
                }
            }
        }

        mutating func skip(past terminator: String) throws(S3XMLError) {
            while !self.isAtEnd {
                if self.hasPrefix(terminator) {
                    self.index += terminator.utf8.count
                    return
                }
                self.index += 1
            }
            throw self.error("unterminated markup")
        }

        /// Parses `<name attr="…">content</name>` or `<name/>`; the scanner is on `<`.
        mutating func element(depth: Int) throws(S3XMLError) -> S3XMLElement {
            guard depth <= S3XMLReader.maximumDepth else { throw self.error("elements nested too deeply") }
            self.index += 1
            let qualifiedName = try self.name()
            var element = S3XMLElement(name: Self.localName(qualifiedName))
            // Attributes (only namespace declarations in S3's answers) are checked for syntax and skipped.
            while true {
                let hadSpace = self.peek().map(Self.isWhitespace) ?? false
                self.skipWhitespace()
                if self.hasPrefix("/>") {
                    self.index += 2
                    return element
                }
                if self.peek() == UInt8(ascii: ">") {
                    self.index += 1
                    break
                }
                guard hadSpace else { throw self.error("expected whitespace before an attribute") }
                _ = try self.name()
                self.skipWhitespace()
                guard self.peek() == UInt8(ascii: "=") else { throw self.error("expected '=' after an attribute name") }
                self.index += 1
                self.skipWhitespace()
                guard let quote = self.peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                    throw self.error("expected a quoted attribute value")
                }
                self.index += 1
                while let byte = self.peek(), byte != quote {
                    guard byte != UInt8(ascii: "<") else { throw self.error("'<' in an attribute value") }
                    self.index += 1
                }
                guard !self.isAtEnd else { throw self.error("unterminated attribute value") }
                self.index += 1
            }
            var text: [UInt8] = []
            while true {
                guard let byte = self.peek() else { throw self.error("unterminated element") }
                if byte == UInt8(ascii: "<") {
                    if self.hasPrefix("</") {
                        self.index += 2
                        guard try self.name() == qualifiedName else { throw self.error("mismatched end tag") }
                        self.skipWhitespace()
                        guard self.peek() == UInt8(ascii: ">") else { throw self.error("expected '>' after an end tag") }
                        self.index += 1
                        break
                    } else if self.hasPrefix("<![CDATA[") {
                        self.index += 9
                        while !self.hasPrefix("]]>") {
                            guard let next = self.peek() else { throw self.error("unterminated CDATA section") }
                            text.append(next)
                            self.index += 1
                        }
                        self.index += 3
                    } else if self.hasPrefix("<!--") {
                        try self.skip(past: "-->")
                    } else if self.hasPrefix("<?") {
                        try self.skip(past: "?>")
                    } else if self.hasPrefix("<!") {
                        throw self.error("declarations are not accepted inside elements")
                    } else {
                        element.children.append(try self.element(depth: depth + 1))
                    }
                } else if byte == UInt8(ascii: "&") {
                    try self.characterReference(into: &text)
                } else {
                    text.append(byte)
                    self.index += 1
                }
            }
            guard let decoded = String(validating: text, as: UTF8.self) else { throw self.error("invalid UTF-8 in character data") }
            element.text = decoded
            return element
        }

        /// A name: everything up to whitespace, `/`, `>`, `=`; must not be empty.
        mutating func name() throws(S3XMLError) -> String {
            let start = self.index
            while let byte = self.peek(), !Self.isWhitespace(byte), byte != UInt8(ascii: "/"), byte != UInt8(ascii: ">"),
                byte != UInt8(ascii: "="), byte != UInt8(ascii: "<"), byte != UInt8(ascii: "&")
            {
                self.index += 1
            }
            guard self.index > start, let name = String(validating: self.bytes[start..<self.index], as: UTF8.self) else {
                throw self.error("expected a name")
            }
            return name
        }

        /// Decodes `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&apos;`, `&#NN;` and `&#xHH;` (XML 1.0 §4.1, §4.6).
        mutating func characterReference(into text: inout [UInt8]) throws(S3XMLError) {
            let start = self.index
            self.index += 1
            while let byte = self.peek(), byte != UInt8(ascii: ";") {
                guard self.index - start < 12 else { throw self.error("character reference too long") }
                self.index += 1
            }
            guard !self.isAtEnd else { throw self.error("unterminated character reference") }
            let body = String(decoding: self.bytes[(start + 1)..<self.index], as: UTF8.self)
            self.index += 1
            let predefined: [String: UInt8] = [
                "lt": UInt8(ascii: "<"), "gt": UInt8(ascii: ">"), "amp": UInt8(ascii: "&"), "quot": UInt8(ascii: "\""), "apos": UInt8(ascii: "'"),
            ]
            if let byte = predefined[body] {
                text.append(byte)
                return
            }
            var scalarValue: UInt32?
            if body.hasPrefix("#x") {
                scalarValue = UInt32(body.dropFirst(2), radix: 16)
            } else if body.hasPrefix("#") {
                scalarValue = UInt32(body.dropFirst(1), radix: 10)
            }
            guard let scalarValue, scalarValue != 0, let scalar = Unicode.Scalar(scalarValue) else {
                throw S3XMLError(reason: "unknown or invalid character reference", offset: start)
            }
            text.append(contentsOf: String(Character(scalar)).utf8)
        }

        static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }

        static func localName(_ name: String) -> String {
            guard let colon = name.lastIndex(of: ":") else { return name }
            return String(name[name.index(after: colon)...])
        }
    }
}
