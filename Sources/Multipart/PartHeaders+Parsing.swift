extension PartHeaders {
    /// Parses one part's header block: the header lines, each ending in CRLF, without the blank line that ends them.
    ///
    /// Rules: header names are tokens compared case-insensitively; a line starting with a space or tab continues the
    /// previous field (obsolete folding, RFC 5322 §2.2.3); bare CR, LF or NUL are rejected. RFC 7578 §4.2 requires
    /// `Content-Disposition: form-data` with a `name`; `filename*` (RFC 5987) wins over `filename`. A repeated
    /// `Content-Disposition`, `Content-Type` or parameter is rejected as ambiguous rather than guessed at.
    static func parse(block: [UInt8], partNumber: Int) throws(MultipartError) -> PartHeaders {
        let fields = try splitFields(block, partNumber: partNumber)
        let dispositions = fields.filter { $0.name.lowercased() == "content-disposition" }
        let contentTypes = fields.filter { $0.name.lowercased() == "content-type" }
        guard let dispositionField = dispositions.first else {
            throw .malformed("part \(partNumber) has no Content-Disposition header")
        }
        guard dispositions.count == 1, contentTypes.count <= 1 else {
            throw .malformed("part \(partNumber) repeats its Content-Disposition or Content-Type header")
        }
        guard let disposition = ParameterizedValue(parsing: dispositionField.value) else {
            throw .malformed("part \(partNumber) has a malformed Content-Disposition header")
        }
        guard disposition.value.lowercased() == "form-data" else {
            throw .malformed("part \(partNumber) is not form-data")
        }
        let names = disposition.values(of: "name")
        let plainFileNames = disposition.values(of: "filename")
        let extendedFileNames = disposition.values(of: "filename*")
        guard names.count <= 1, plainFileNames.count <= 1, extendedFileNames.count <= 1 else {
            throw .malformed("part \(partNumber) repeats a Content-Disposition parameter")
        }
        guard let name = names.first, !name.isEmpty else {
            throw .malformed("part \(partNumber) has no field name")
        }
        var fileName = plainFileNames.first
        if let extended = extendedFileNames.first {
            guard let decoded = ParameterizedValue.decodeExtendedValue(extended) else {
                throw .malformed("part \(partNumber) has an invalid filename* parameter")
            }
            fileName = decoded
        }
        return PartHeaders(name: name, fileName: fileName, contentType: contentTypes.first?.value, fields: fields)
    }

    private static func splitFields(_ block: [UInt8], partNumber: Int) throws(MultipartError) -> [Field] {
        var fields: [Field] = []
        var lineStart = 0
        while lineStart < block.count {
            var lineEnd = lineStart
            while lineEnd < block.count, block[lineEnd] != .carriageReturn, block[lineEnd] != .lineFeed, block[lineEnd] != 0 {
                lineEnd += 1
            }
            guard lineEnd + 1 < block.count, block[lineEnd] == .carriageReturn, block[lineEnd + 1] == .lineFeed else {
                throw .malformed("part \(partNumber) has a malformed header line")
            }
            let line = block[lineStart..<lineEnd]
            lineStart = lineEnd + 2
            if let first = line.first, first == .space || first == .tab {
                guard let last = fields.indices.last else { throw .malformed("part \(partNumber) has a malformed header line") }
                let continuation = trimmed(line)
                if !continuation.isEmpty {
                    fields[last].value += fields[last].value.isEmpty ? continuation : " " + continuation
                }
                continue
            }
            guard let colon = line.firstIndex(of: .colon), colon > line.startIndex,
                line[line.startIndex..<colon].allSatisfy({ $0 > .space && $0 < 0x7F })
            else {
                throw .malformed("part \(partNumber) has a malformed header line")
            }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            fields.append(Field(name: name, value: trimmed(line[(colon + 1)...])))
        }
        return fields
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        var slice = bytes
        while let first = slice.first, first == .space || first == .tab { slice.removeFirst() }
        while let last = slice.last, last == .space || last == .tab { slice.removeLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}
