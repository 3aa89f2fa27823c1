import Foundation

/// The one text form medvault gives a UUID (`8-4-4-4-12` lowercase hex digits): in object keys, in the database,
/// in the API and in the audit trail.
///
/// Written out because Foundation's forms go through the C library on Linux: `uuidString` formats with `snprintf`
/// (uppercase, so it also needed a `lowercased()` copy) and `UUID(uuidString:)` parses with `sscanf`. A list page
/// reads and writes 100 ids, and the two together took about 6% of its CPU time (BENCHMARKS.md, "Metadata API").
extension UUID {
    /// The lowercase text form, e.g. `0f8fad5b-d9cb-469f-a165-70867728950e`.
    package var lowercaseText: String {
        String(unsafeUninitializedCapacity: 36) { text in
            let digits: StaticString = "0123456789abcdef"
            var position = 0
            withUnsafeBytes(of: uuid) { bytes in
                for index in 0..<16 {
                    let byte = bytes[index]
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    text[position] = digits.utf8Start[Int(byte >> 4)]
                    text[position + 1] = digits.utf8Start[Int(byte & 0x0F)]
                    position += 2
                }
            }
            return position
        }
    }

    /// Parses the text form, in either case, as `UUID(uuidString:)` does; nil for anything that is not exactly
    /// 36 characters of `8-4-4-4-12` hex digits.
    package init?(parsing text: String) {
        var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var text = text
        let parsed = text.withUTF8 { utf8 in
            withUnsafeMutableBytes(of: &uuid) { output -> Bool in
                guard utf8.count == 36 else { return false }
                var position = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        guard utf8[position] == UInt8(ascii: "-") else { return false }
                        position += 1
                    }
                    guard let high = HexDigit.value(utf8[position]), let low = HexDigit.value(utf8[position + 1]) else { return false }
                    output[index] = high << 4 | low
                    position += 2
                }
                return true
            }
        }
        guard parsed else { return nil }
        self.init(uuid: uuid)
    }
}
