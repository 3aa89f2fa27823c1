/// Finds active content and external references in an SVG as it streams, without building a DOM.
///
/// Bytes go through ``CharacterReferenceDecoder``, then ``CSSEscapeDecoder``, then a small tokenizer that
/// recognises words (names), what precedes them (`<`, `<!`, `<?`) and what follows (`=`, `(`). State is kept between calls, so a
/// pattern split across chunks is found exactly as in one piece. The scan is case-insensitive and deliberately
/// conservative: it does not track whether a word is really inside a tag, so text such as `x onfoo=1` is
/// rejected too. Rejected:
/// - elements `script`, `foreignObject`, `iframe`, `frame`, `embed`, `object`, `applet`, `handler`, `listener`,
///   `meta`, `base`, `link` (with or without a namespace prefix);
/// - event-handler attributes (`on…=`), `xml:base`, and animations whose `attributeName` is `href` or `on…`;
/// - `href`/`xlink:href`/`src` and CSS `url(…)` values other than `#fragment`, empty, or
///   `data:image/(png|jpeg|gif|webp)`; CSS functions that load resources (`image-set(`, `image(`, …);
/// - `javascript:` and `vbscript:` anywhere, ignoring whitespace and control characters inside them;
/// - `@import` anywhere;
/// - markup declarations other than DOCTYPE (`<!ENTITY`, `<!ATTLIST`, …), `<?xml-stylesheet`.
///
/// A value checked above ends where either XML or CSS would end it, so it cannot hide markup or style rules: at a
/// raw `<`, at its quote or a line break (a CSS string ends there), and, unquoted, also at CSS punctuation.
/// Character references and CSS escapes are decoded first, so they cannot spell any of this. Also rejected:
/// NUL bytes, which also rules out UTF-16 and UTF-32 SVGs the byte scan could not read.
struct SVGSafetyScanner {
    private enum WordContext {
        case plain
        case tag
        case declaration
        case processingInstruction
    }

    private enum ValueKind {
        case reference
        case cssURL
        case animationTarget
    }

    private enum State {
        case text
        case word
        case afterWord
        case valueStart(ValueKind)
        case value(ValueKind, quote: UInt8?)
        case skipValue(quote: UInt8?, closesAtParenthesis: Bool)
    }

    /// Bytes of a word or value kept for the checks; every name we look for is shorter.
    static let captureLength = 40
    static let dangerousElements: Set<String> = [
        "script", "foreignobject", "iframe", "frame", "embed", "object", "applet", "handler", "listener", "meta", "base", "link",
    ]
    static let resourceFunctions: Set<String> = [
        "image-set", "-webkit-image-set", "image", "cross-fade", "-webkit-cross-fade", "element", "-moz-element",
    ]
    static let allowedDataImages = ["data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"].map { Array($0.utf8) }

    private var references = CharacterReferenceDecoder()
    private var escapes = CSSEscapeDecoder()
    private var decoded: [ScannedCharacter] = []
    private var unescaped: [ScannedCharacter] = []
    private var state = State.text
    private var previous: UInt8 = 0x20
    private var beforePrevious: UInt8 = 0x20
    private var wordContext = WordContext.plain
    private var wordHead: [UInt8] = []
    private var wordLocal: [UInt8] = []
    private var wordLocalLength = 0
    private var value: [UInt8] = []
    private var javascriptProgress = 0
    private var vbscriptProgress = 0
    private var importProgress = 0

    /// Scans the next chunk; throws as soon as something unsafe is complete.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) throws(UploadRejection) {
        for byte in bytes {
            guard byte != 0 else { throw .unsafeSVG("it contains NUL bytes (only UTF-8 SVG is accepted)") }
            // Fast path for the common case: no reference or escape in progress and none starting here.
            if references.isIdle, escapes.isIdle, byte != UInt8(ascii: "&"), byte != UInt8(ascii: "\\") {
                try process(ScannedCharacter(byte: CharacterReferenceDecoder.lowercased(byte), isRaw: true))
                continue
            }
            references.feed(byte, into: &decoded)
            guard !decoded.isEmpty else { continue }
            for character in decoded { escapes.feed(character, into: &unescaped) }
            decoded.removeAll(keepingCapacity: true)
            for character in unescaped { try process(character) }
            unescaped.removeAll(keepingCapacity: true)
        }
    }

    /// Ends the stream; a word or value cut off by the end is checked as if it were complete.
    mutating func finish() throws(UploadRejection) {
        references.finish(into: &decoded)
        for character in decoded { escapes.feed(character, into: &unescaped) }
        escapes.finish(into: &unescaped)
        decoded.removeAll()
        for character in unescaped { try process(character) }
        unescaped.removeAll()
        switch state {
        case .word: try endWord()
        case .value(let kind, _): try evaluate(kind)
        default: break
        }
        state = .text
    }

    private mutating func process(_ character: ScannedCharacter) throws(UploadRejection) {
        let byte = character.byte
        try checkPatterns(byte)
        try step(character)
        beforePrevious = previous
        // A `<` from `&lt;` is text, not markup: remember it as something that opens nothing.
        previous = byte == UInt8(ascii: "<") && !character.isRaw ? 0x01 : byte
    }

    /// The patterns rejected wherever they occur, even inside a value: a value can sit in a style sheet, where
    /// it is plain text (`x href=#{}@import "…"` imports).
    private mutating func checkPatterns(_ byte: UInt8) throws(UploadRejection) {
        importProgress = Self.advance(importProgress, in: "@import", with: byte)
        if importProgress == 7 { throw .unsafeSVG("it contains a CSS @import") }
        guard byte > 0x20 else { return }  // browsers ignore whitespace and controls inside a scheme
        javascriptProgress = Self.advance(javascriptProgress, in: "javascript:", with: byte)
        vbscriptProgress = Self.advance(vbscriptProgress, in: "vbscript:", with: byte)
        if javascriptProgress == 11 { throw .unsafeSVG("it contains a javascript: URL") }
        if vbscriptProgress == 9 { throw .unsafeSVG("it contains a vbscript: URL") }
    }

    /// One step of matching `pattern`; no pattern repeats its first character, so restarting at 0 or 1 is exact.
    private static func advance(_ progress: Int, in pattern: StaticString, with byte: UInt8) -> Int {
        let start = pattern.utf8Start
        if start[progress] == byte { return progress + 1 }
        return start[0] == byte ? 1 : 0
    }

    private mutating func step(_ character: ScannedCharacter) throws(UploadRejection) {
        let byte = character.byte
        switch state {
        case .text:
            if Self.isNameByte(byte) { beginWord(byte) }
        case .word:
            if Self.isNameByte(byte) {
                appendToWord(byte)
                return
            }
            try endWord()
            if byte == UInt8(ascii: "=") {
                try attribute()
            } else if byte == UInt8(ascii: "(") {
                try function()
            } else {
                state = Self.isSpace(byte) ? .afterWord : .text
            }
        case .afterWord:
            if Self.isSpace(byte) { return }
            if byte == UInt8(ascii: "=") {
                try attribute()
            } else {
                state = .text
                if Self.isNameByte(byte) { beginWord(byte) }
            }
        case .valueStart(let kind):
            if byte <= 0x20 { return }
            value.removeAll(keepingCapacity: true)
            if character.isRaw, byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                state = .value(kind, quote: byte)
            } else {
                state = .value(kind, quote: nil)
                try step(character)
            }
        case .value(let kind, let quote):
            if Self.endsValue(character, quote: quote, atParenthesis: kind == .cssURL) {
                try evaluate(kind)
                state = .text
                return
            }
            guard byte > 0x20 else { return }  // whitespace and controls inside URLs are ignored by browsers
            value.append(byte)
            if value.count >= Self.captureLength {
                try evaluate(kind)
                state = .skipValue(quote: quote, closesAtParenthesis: kind == .cssURL)
            }
        case .skipValue(let quote, let atParenthesis):
            if Self.endsValue(character, quote: quote, atParenthesis: atParenthesis) { state = .text }
        }
    }

    private mutating func beginWord(_ byte: UInt8) {
        if previous == UInt8(ascii: "<") {
            wordContext = .tag
        } else if previous == UInt8(ascii: "!"), beforePrevious == UInt8(ascii: "<") {
            wordContext = .declaration
        } else if previous == UInt8(ascii: "?"), beforePrevious == UInt8(ascii: "<") {
            wordContext = .processingInstruction
        } else {
            wordContext = .plain
        }
        wordHead.removeAll(keepingCapacity: true)
        wordLocal.removeAll(keepingCapacity: true)
        wordLocalLength = 0
        state = .word
        appendToWord(byte)
    }

    private mutating func appendToWord(_ byte: UInt8) {
        if wordHead.count < Self.captureLength { wordHead.append(byte) }
        if byte == UInt8(ascii: ":") {
            wordLocal.removeAll(keepingCapacity: true)
            wordLocalLength = 0
        } else {
            if wordLocal.count < Self.captureLength { wordLocal.append(byte) }
            wordLocalLength += 1
        }
    }

    /// Checks that depend on what preceded the word: element names, declarations, processing instructions, at-rules.
    private func endWord() throws(UploadRejection) {
        let head = String(decoding: wordHead, as: UTF8.self)
        switch wordContext {
        case .tag:
            let local = String(decoding: wordLocal, as: UTF8.self)
            if Self.dangerousElements.contains(local) { throw .unsafeSVG("it contains a <\(local)> element") }
        case .declaration:
            if head != "doctype", !head.hasPrefix("--") {
                throw .unsafeSVG("it contains a markup declaration other than DOCTYPE (such as <!ENTITY>)")
            }
        case .processingInstruction:
            if head == "xml-stylesheet" { throw .unsafeSVG("it contains an <?xml-stylesheet?> instruction") }
        case .plain:
            break
        }
    }

    private mutating func attribute() throws(UploadRejection) {
        let local = String(decoding: wordLocal, as: UTF8.self)
        state = .text
        if wordLocalLength > 2, local.hasPrefix("on") { throw .unsafeSVG("it contains an event-handler attribute (on…=)") }
        if local == "base", wordHead.contains(UInt8(ascii: ":")) { throw .unsafeSVG("it contains an xml:base attribute") }
        switch local {
        case "href", "src": state = .valueStart(.reference)
        case "attributename": state = .valueStart(.animationTarget)
        default: break
        }
    }

    private mutating func function() throws(UploadRejection) {
        let local = String(decoding: wordLocal, as: UTF8.self)
        state = .text
        if local == "url" || local == "src" {
            state = .valueStart(.cssURL)
        } else if Self.resourceFunctions.contains(local) {
            throw .unsafeSVG("it contains a CSS function that loads resources (\(local)())")
        }
    }

    private func evaluate(_ kind: ValueKind) throws(UploadRejection) {
        switch kind {
        case .reference, .cssURL:
            if value.isEmpty || value[0] == UInt8(ascii: "#") { return }
            for prefix in Self.allowedDataImages where value.count > prefix.count && value.starts(with: prefix) {
                if value[prefix.count] == UInt8(ascii: ";") || value[prefix.count] == UInt8(ascii: ",") { return }
            }
            throw .unsafeSVG(
                kind == .reference
                    ? "it contains an external reference (href or src to something other than #fragment or an inline image)"
                    : "it contains a CSS url() to something other than #fragment or an inline image"
            )
        case .animationTarget:
            let target = value.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).last ?? []
            if target.elementsEqual("href".utf8) || target.starts(with: "on".utf8) {
                throw .unsafeSVG("it animates an href or event-handler attribute")
            }
        }
    }

    private static func endsValue(_ character: ScannedCharacter, quote: UInt8?, atParenthesis: Bool) -> Bool {
        guard character.isRaw else { return false }
        let byte = character.byte
        // A raw `<` cannot occur in an XML attribute value: stop, so markup is never skipped.
        if byte == UInt8(ascii: "<") { return true }
        // In a style sheet a quoted value is a CSS string, which a line break ends (CSS Syntax 3, §4.3.5).
        if let quote { return byte == quote || byte == 0x0A || byte == 0x0C || byte == 0x0D }
        if byte <= 0x20 || byte == UInt8(ascii: ">") { return true }
        // `url(…)` ends where CSS ends an unquoted URL; any other unquoted value is no XML, only CSS text, which
        // its punctuation ends: past it, declarations (`;`), rules (`{}`) and list items (`,`) take effect.
        return atParenthesis ? byte == UInt8(ascii: ")") : Self.cssPunctuation.contains(byte)
    }

    /// What ends an unquoted value that is not a `url(…)`.
    private static let cssPunctuation: [UInt8] = Array(";,{}()".utf8)

    /// Letters, digits, `_ - . :` and any non-ASCII byte: what XML allows in names.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: ":") || byte >= 0x80
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
