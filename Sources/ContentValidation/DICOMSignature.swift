/// Recognises DICOM files that libmagic does not: Part 10 files written without the 128-byte preamble and `DICM`.
///
/// Such a stream starts directly with the file meta information group: element tag `(0002,xxxx)` in little
/// endian (`02 00 xx 00`) followed by an explicit two-letter value representation (DICOM PS3.10 §7.1,
/// PS3.5 §7.1.2). Only used when the name says `.dcm`/`.dicom` and libmagic found nothing better.
enum DICOMSignature {
    /// The value representations of DICOM PS3.5 §6.2.
    static let valueRepresentations: Set<String> = [
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW",
        "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV",
    ]

    /// Whether `head` starts with a file meta element in explicit VR little endian.
    static func startsWithFileMetaElement(_ head: [UInt8]) -> Bool {
        guard head.count >= 6, head[0] == 0x02, head[1] == 0x00, head[3] == 0x00 else { return false }
        let representation = String(decoding: head[4..<6], as: UTF8.self)
        return valueRepresentations.contains(representation)
    }
}
