import Archive

/// Builds real ZIP archives with stored (uncompressed) entries: local headers, data, central directory, EOCD
/// (APPNOTE.TXT §4.3). Enough for minimal .docx/.xlsx files and the traps around them.
enum ZipSample {
    static func archive(_ entries: [(name: String, data: [UInt8])], comment: [UInt8] = []) -> [UInt8] {
        var file = ByteWriter()
        var central = ByteWriter()
        for entry in entries {
            let offset = file.bytes.count
            let crc = CRC32.checksum(entry.data)
            let name = Array(entry.name.utf8)
            file.u32(0x0403_4B50)
            file.u16(20)  // version needed
            file.u16(0)  // flags
            file.u16(0)  // method: stored
            file.u16(0)  // time
            file.u16(0x21)  // date: 1980-01-01
            file.u32(crc)
            file.u32(UInt32(entry.data.count))
            file.u32(UInt32(entry.data.count))
            file.u16(name.count)
            file.u16(0)
            file.raw(name)
            file.raw(entry.data)

            central.u32(0x0201_4B50)
            central.u16(20)  // made by
            central.u16(20)  // needed
            central.u16(0)
            central.u16(0)
            central.u16(0)
            central.u16(0x21)
            central.u32(crc)
            central.u32(UInt32(entry.data.count))
            central.u32(UInt32(entry.data.count))
            central.u16(name.count)
            central.u16(0)  // extra
            central.u16(0)  // comment
            central.u16(0)  // disk
            central.u16(0)  // internal attributes
            central.u32(0)  // external attributes
            central.u32(UInt32(offset))
            central.raw(name)
        }
        let directoryOffset = file.bytes.count
        file.raw(central.bytes)
        file.u32(0x0605_4B50)
        file.u16(0)
        file.u16(0)
        file.u16(entries.count)
        file.u16(entries.count)
        file.u32(UInt32(central.bytes.count))
        file.u32(UInt32(directoryOffset))
        file.u16(comment.count)
        file.raw(comment)
        return file.bytes
    }

    static let contentTypes = Array(
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="xml" ContentType="application/xml"/></Types>
        """.utf8
    )
    static let rels = Array(#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>"#.utf8)

    /// A minimal Word document, `word/` right after the package parts (libmagic names it).
    static func docx(padding: Int = 0) -> [UInt8] {
        archive(
            [("[Content_Types].xml", contentTypes), ("_rels/.rels", rels), ("word/document.xml", Array("<w:document/>".utf8))]
                + (padding > 0 ? [("docProps/thumbnail.bin", [UInt8](repeating: 0x41, count: padding))] : [])
        )
    }

    /// A minimal Excel workbook.
    static func xlsx() -> [UInt8] {
        archive([("[Content_Types].xml", contentTypes), ("_rels/.rels", rels), ("xl/workbook.xml", Array("<workbook/>".utf8))])
    }

    /// A Word document whose `word/` entry comes after four other parts: libmagic 5.44 recognises "Microsoft
    /// OOXML" but not which kind, and reports no MIME type of its own (`application/octet-stream`).
    static func docxWithLateWordEntry(padding: Int = 0) -> [UInt8] {
        archive([
            ("[Content_Types].xml", contentTypes), ("_rels/.rels", rels), ("docProps/app.xml", Array("<Properties/>".utf8)),
            ("docProps/core.xml", Array("<coreProperties/>".utf8)),
            ("customXml/item1.xml", Array("<c/>".utf8) + [UInt8](repeating: 0x20, count: padding)),
            ("word/document.xml", Array("<w:document/>".utf8)),
        ])
    }

    /// A Word document that starts with `_rels/.rels`: libmagic 5.44 reports plain `application/zip`.
    static func docxRelsFirst() -> [UInt8] {
        archive([("_rels/.rels", rels), ("[Content_Types].xml", contentTypes), ("word/document.xml", Array("<w:document/>".utf8))])
    }

    /// An ordinary archive with one text file.
    static func plain() -> [UInt8] {
        archive([("notes/hello.txt", Array("hello".utf8))])
    }
}
