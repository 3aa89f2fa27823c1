import Archive

/// Minimal but valid sample files, generated in code so the tests need no fixtures.
enum Samples {
    /// A 1×1 greyscale PNG with correct chunk CRCs.
    static let png: [UInt8] = {
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            var out = ByteWriter()
            out.bytes += bigEndian(UInt32(data.count))
            out.ascii(type)
            out.raw(data)
            out.bytes += bigEndian(CRC32.checksum(Array(type.utf8) + data))
            return out.bytes
        }
        let header = bigEndian(1) + bigEndian(1) + [8, 0, 0, 0, 0]
        let pixels: [UInt8] = [0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]  // zlib of [0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", pixels) + chunk("IEND", [])
    }()

    /// SOI, a JFIF APP0 segment and EOI.
    static let jpeg: [UInt8] =
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9]

    /// The classic 43-byte transparent 1×1 GIF.
    static let gif: [UInt8] =
        Array("GIF89a".utf8) + [
            0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00,
            0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
        ]

    /// A 1×1 lossless WebP (RIFF container, VP8L chunk).
    static let webp: [UInt8] =
        Array("RIFF".utf8) + [0x1A, 0x00, 0x00, 0x00] + Array("WEBPVP8L".utf8)
        + [0x0D, 0x00, 0x00, 0x00, 0x2F, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0x00]

    static let pdf = Array(
        """
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj
        trailer << /Root 1 0 R >>
        %%EOF

        """.utf8
    )

    static let svg = Array(
        #"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="green"/></svg>"#.utf8
    )

    static let text = Array("Patient notes\nBlood pressure normal.\nFollow-up in 3 months.\n".utf8)
    static let commaCSV = Array("name,age,city\nalice,30,paris\nbob,40,rome\n".utf8)
    static let semicolonCSV = Array("name;age;city\nalice;30;paris\nbob;40;rome\n".utf8)

    /// The file meta group of a DICOM Part 10 file: group length, transfer syntax (explicit VR little endian).
    static let dicomMetaGroup: [UInt8] = {
        var out = ByteWriter()
        out.raw([0x02, 0x00, 0x00, 0x00])
        out.ascii("UL")
        out.u16(4)
        out.u32(30)
        out.raw([0x02, 0x00, 0x10, 0x00])
        out.ascii("UI")
        out.u16(20)
        out.ascii("1.2.840.10008.1.2.1")
        out.u8(0)
        return out.bytes
    }()

    /// DICOM with the 128-byte preamble and `DICM`: libmagic recognises it.
    static let dicomWithPreamble = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) + dicomMetaGroup
    /// DICOM without the preamble: libmagic does not; medvault does.
    static let dicomWithoutPreamble = dicomMetaGroup

    /// The start of a 64-bit little-endian ELF shared object / PIE (x86-64).
    static let elf: [UInt8] = {
        var out = ByteWriter()
        out.raw([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00])
        out.zeros(8)
        out.u16(3)  // ET_DYN
        out.u16(0x3E)  // x86-64
        out.u32(1)
        out.zeros(48)
        return out.bytes
    }()

    static let html = Array("<!DOCTYPE html>\n<html><head><title>x</title></head><body><p>hello</p></body></html>\n".utf8)

    /// `count` bytes: `prefix` followed by `filler`.
    static func padded(_ prefix: [UInt8], to count: Int, filler: UInt8 = 0) -> [UInt8] {
        prefix + [UInt8](repeating: filler, count: max(0, count - prefix.count))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

extension Samples {
    /// Every sample by a short name, so parameterised tests print names, not kilobytes of bytes.
    static let named: [String: [UInt8]] = [
        "png": png, "jpeg": jpeg, "gif": gif, "webp": webp, "pdf": pdf, "svg": svg, "text": text, "comma-csv": commaCSV,
        "semicolon-csv": semicolonCSV, "dicom-preamble": dicomWithPreamble, "dicom-no-preamble": dicomWithoutPreamble,
        "docx": ZipSample.docx(), "xlsx": ZipSample.xlsx(), "docx-late-word": ZipSample.docxWithLateWordEntry(),
        "docx-rels-first": ZipSample.docxRelsFirst(), "zip": ZipSample.plain(), "doc": CompoundFileSample.doc(),
        "xls": CompoundFileSample.xls(), "html": html, "elf": elf, "empty": [],
    ]

    static func bytes(_ name: String) -> [UInt8] {
        guard let bytes = named[name] else { fatalError("no sample named \(name)") }
        return bytes
    }
}
