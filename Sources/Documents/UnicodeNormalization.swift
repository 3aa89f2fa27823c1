import Foundation

/// Unicode NFC helpers shared by key parsing and name sanitising.
///
/// Swift compares strings by canonical equivalence, so two keys that differ only in normalisation would be
/// equal as `String`s but different objects in S3; requiring NFC everywhere makes string equality and byte
/// equality the same thing.
package enum UnicodeNormalization {
    /// Returns `text` in Normalization Form C (Unicode Standard Annex #15).
    package static func nfc(_ text: some StringProtocol) -> String {
        let string = String(text)
        if string.utf8.allSatisfy({ $0 < 0x80 }) { return string }
        return string.precomposedStringWithCanonicalMapping
    }

    /// Whether `text` is already in NFC, compared scalar by scalar (not by `==`, which ignores normalisation).
    package static func isNFC(_ text: some StringProtocol) -> Bool {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return true }
        return nfc(text).unicodeScalars.elementsEqual(text.unicodeScalars)
    }
}
