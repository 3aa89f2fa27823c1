import Archive

/// The EICAR anti-virus test file (eicar.org): 68 printable bytes that every virus scanner reports as a test
/// detection, harmless by design. medvault scans it from memory to prove that clamd really refuses something; it is
/// never stored.
enum EICARTestFile {
    /// The test file's bytes. They are kept reversed in the source, and turned round at run time, so that the
    /// executable does not contain the test string: a virus scanner on the host would otherwise flag medvault itself.
    static var bytes: [UInt8] { Array(reversed.utf8.reversed()) }

    private static let reversed = #"*H+H$!ELIF-TSET-SURIVITNA-DRADNATS-RACIE$}7)CC7)^P(45XZP\4[PA@%P!O5X"#

    /// A ZIP archive holding the test file, stored uncompressed as `eicar.com` (the ZIP file format specification,
    /// APPNOTE.TXT 4.3: a local file header, the data, a central directory header and the end of central directory
    /// record). clamd finds a ZIP archive anywhere in a file and scans what it holds, so this can end a longer probe.
    static var zipArchive: [UInt8] {
        let name = Array("eicar.com".utf8)
        let content = bytes
        let checksum = CRC32.checksum(content)
        var archive: [UInt8] = []
        // Local file header: version 1.0, no flags, stored, no date, CRC-32, sizes, name, no extra field.
        archive.append(littleEndian: UInt32(0x0403_4B50))
        archive.append(littleEndian: UInt16(10), UInt16(0), UInt16(0), UInt16(0), UInt16(0))
        archive.append(littleEndian: checksum, UInt32(content.count), UInt32(content.count))
        archive.append(littleEndian: UInt16(name.count), UInt16(0))
        archive += name + content
        let centralDirectoryOffset = archive.count
        // Central directory header: the same facts, plus where the local header is (offset 0).
        archive.append(littleEndian: UInt32(0x0201_4B50))
        archive.append(littleEndian: UInt16(10), UInt16(10), UInt16(0), UInt16(0), UInt16(0), UInt16(0))
        archive.append(littleEndian: checksum, UInt32(content.count), UInt32(content.count))
        archive.append(littleEndian: UInt16(name.count), UInt16(0), UInt16(0), UInt16(0), UInt16(0))
        archive.append(littleEndian: UInt32(0), UInt32(0))
        archive += name
        let centralDirectorySize = archive.count - centralDirectoryOffset
        // End of central directory: one entry, the directory's size and offset, no comment.
        archive.append(littleEndian: UInt32(0x0605_4B50))
        archive.append(littleEndian: UInt16(0), UInt16(0), UInt16(1), UInt16(1))
        archive.append(littleEndian: UInt32(centralDirectorySize), UInt32(centralDirectoryOffset))
        archive.append(littleEndian: UInt16(0))
        return archive
    }
}
