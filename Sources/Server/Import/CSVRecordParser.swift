/// Splits CSV text into records as its bytes arrive (RFC 4180): fields separated by commas, records by CRLF or LF,
/// and quoted fields that may hold commas, line breaks and doubled quotes (`""` for one `"`).
///
/// A state machine over bytes with no I/O, so that a manifest of any length is read a chunk at a time and the rules
/// are tested alone. Beyond the RFC it accepts a bare LF as a line break and a UTF-8 byte order mark at the start
/// (what spreadsheets write), and skips empty lines; it refuses what would make a value ambiguous: a quote inside an
/// unquoted field, text after a closing quote, a quote left open at the end, and invalid UTF-8.
struct CSVRecordParser {
    /// One record and the line it starts on (1-based).
    typealias Record = (line: Int, fields: [String])

    /// The longest field accepted, so that a missing closing quote cannot pull a whole file into memory.
    static let maxFieldBytes = 64 * 1024
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }

    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    /// Whether anything of the current record was read (an empty line is not a record).
    private var recordStarted = false
    private var recordLine = 1
    private var line = 1
    private var afterCarriageReturn = false
    /// The first bytes of the text while they may still be a byte order mark.
    private var head: [UInt8]? = []

    /// Consumes the next chunk; returns the records it completed.
    mutating func consume(_ bytes: some Sequence<UInt8>) throws(ManifestError) -> [Record] {
        var completed: [Record] = []
        for byte in bytes {
            if var pending = head {
                pending.append(byte)
                if pending == Self.byteOrderMark {
                    head = nil
                } else if Self.byteOrderMark.starts(with: pending) {
                    head = pending
                } else {
                    head = nil
                    for replayed in pending {
                        if let record = try step(replayed) { completed.append(record) }
                    }
                }
                continue
            }
            if let record = try step(byte) { completed.append(record) }
        }
        return completed
    }

    /// Ends the text: returns the last record when the text does not end with a line break.
    mutating func finish() throws(ManifestError) -> Record? {
        if let pending = head {
            head = nil
            for byte in pending { _ = try step(byte) }
        }
        if state == .quoted { throw .malformed(line: recordLine, "a quoted field is not closed") }
        return recordStarted ? try endRecord() : nil
    }

    private mutating func step(_ byte: UInt8) throws(ManifestError) -> Record? {
        let followsCarriageReturn = afterCarriageReturn
        afterCarriageReturn = false
        defer { if byte == UInt8(ascii: "\n") { line += 1 } }
        switch state {
        case .quoted:
            if byte == UInt8(ascii: "\"") {
                state = .quoteInQuoted
            } else {
                try append(byte)
            }
        case .quoteInQuoted:
            if byte == UInt8(ascii: "\"") {
                state = .quoted
                try append(byte)
            } else if Self.isSeparator(byte) {
                return try separator(byte, followsCarriageReturn: followsCarriageReturn)
            } else {
                throw .malformed(line: line, "text follows a closing quote")
            }
        case .fieldStart, .unquoted:
            if Self.isSeparator(byte) { return try separator(byte, followsCarriageReturn: followsCarriageReturn) }
            start()
            if byte == UInt8(ascii: "\"") {
                guard state == .fieldStart else {
                    throw .malformed(line: line, "a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                state = .quoted
            } else {
                state = .unquoted
                try append(byte)
            }
        }
        return nil
    }

    /// A comma ends the field; CR or LF ends the record (CR LF counts once), unless the line is empty.
    private mutating func separator(_ byte: UInt8, followsCarriageReturn: Bool) throws(ManifestError) -> Record? {
        state = .fieldStart
        if byte == UInt8(ascii: ",") {
            start()
            try endField()
            return nil
        }
        if byte == UInt8(ascii: "\r") { afterCarriageReturn = true }
        if byte == UInt8(ascii: "\n") && followsCarriageReturn { return nil }
        return recordStarted ? try endRecord() : nil
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    private mutating func start() {
        guard !recordStarted else { return }
        recordStarted = true
        recordLine = line
    }

    private mutating func endRecord() throws(ManifestError) -> Record {
        try endField()
        defer {
            fields = []
            recordStarted = false
        }
        return (recordLine, fields)
    }

    private mutating func endField() throws(ManifestError) {
        guard let text = String(validating: field, as: UTF8.self) else { throw .malformed(line: recordLine, "a field is not valid UTF-8") }
        fields.append(text)
        field = []
    }

    private mutating func append(_ byte: UInt8) throws(ManifestError) {
        guard field.count < Self.maxFieldBytes else { throw .malformed(line: recordLine, "a field is longer than \(Self.maxFieldBytes) bytes") }
        field.append(byte)
    }
}
