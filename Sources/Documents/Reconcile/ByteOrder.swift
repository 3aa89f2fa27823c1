/// UTF-8 byte order, the order S3 lists keys in.
///
/// Swift's `String <` compares canonically equivalent strings as equal and orders by Unicode scalars after
/// normalisation; an object written behind medvault's back need not be NFC, so keys are compared byte by byte.
package enum ByteOrder {
    /// Whether `lhs` sorts strictly before `rhs` byte-wise.
    package static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
