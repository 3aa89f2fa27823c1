/// Strips a JPEG of its metadata segments while copying the image itself byte for byte (ITU T.81 Annex B for the
/// marker syntax, CIPA DC-008 for Exif).
///
/// Before the first scan, each marker segment is held (at most 64 KiB, the largest a segment can be) and then kept or
/// dropped: APP0 (JFIF), APP2 ICC profiles, APP14 Adobe and the decoding tables stay; APP1 (Exif, XMP, extended XMP),
/// APP13 (Photoshop/IPTC), COM and every other APPn go. An Exif orientation other than 1 is kept in a minimal Exif
/// segment of its own (``ExifOrientation``), so the photo still shows upright. From the start-of-scan segment on,
/// everything up to the end-of-image marker is copied untouched; what follows EOI (such as the extra images phones
/// append, each with its own Exif) is dropped.
struct JPEGMetadataStripper: MetadataStripper {
    private enum State {
        case signature
        /// Expecting `FF` and a marker code (fill bytes `FF` may come between).
        case marker
        case length(marker: UInt8)
        /// Holding a segment's payload; `remaining` bytes still to come.
        case segment(marker: UInt8, remaining: Int)
        /// Copying entropy-coded data (and whatever later scans bring) until EOI.
        case entropy
        /// After EOI: nothing more belongs to the image.
        case trailer
    }

    static let startOfScan: UInt8 = 0xDA
    static let endOfImage: UInt8 = 0xD9
    static let exifSignature = Array("Exif".utf8) + [0, 0]
    static let iccSignature = Array("ICC_PROFILE".utf8) + [0]
    static let adobeSignature = Array("Adobe".utf8)

    private var state = State.signature
    /// The bytes of the signature, of the marker, length or segment payload being read.
    private var held: [UInt8] = []
    /// In the entropy-coded data: whether the last byte was `FF`, so that `FF D9` is found across chunks.
    private var previousWasFF = false
    private var wroteOrientation = false
    private(set) var removedMetadata = false

    mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(UploadRejection) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch state {
            case .entropy:
                let start = index
                while index < bytes.endIndex {
                    let byte = bytes[index]
                    index += 1
                    if previousWasFF && byte == Self.endOfImage {
                        state = .trailer
                        break
                    }
                    previousWasFF = byte == 0xFF
                }
                out.append(contentsOf: bytes[start..<index])
            case .segment(let marker, let remaining):
                let take = min(remaining, bytes.endIndex - index)
                held.append(contentsOf: bytes[index..<(index + take)])
                index += take
                if take == remaining {
                    endSegment(marker, into: &out)
                } else {
                    state = .segment(marker: marker, remaining: remaining - take)
                }
            case .trailer:
                removedMetadata = true
                index = bytes.endIndex
            case .signature, .marker, .length:
                try step(bytes[index], into: &out)
                index += 1
            }
        }
        return out
    }

    func finish() throws(UploadRejection) {
        guard case .trailer = state else { throw .invalidImage("the JPEG ends before its end-of-image marker") }
    }

    /// One byte of the signature, of a marker or of a segment length.
    private mutating func step(_ byte: UInt8, into out: inout [UInt8]) throws(UploadRejection) {
        switch state {
        case .signature:
            held.append(byte)
            guard held.count == 2 else { return }
            guard held == [0xFF, 0xD8] else { throw .invalidImage("the JPEG does not start with a start-of-image marker") }
            out += held
            held = []
            state = .marker
        case .marker where held.isEmpty:
            guard byte == 0xFF else { throw .invalidImage("a JPEG segment does not start with a marker") }
            held = [byte]
        case .marker:
            guard byte != 0xFF else { return }
            held = []
            try begin(marker: byte, into: &out)
        case .length(let marker):
            held.append(byte)
            guard held.count == 2 else { return }
            let length = Int(held[0]) << 8 | Int(held[1])
            held = []
            guard length >= 2 else { throw .invalidImage("a JPEG segment declares a length under 2 bytes") }
            state = .segment(marker: marker, remaining: length - 2)
            if length == 2 { endSegment(marker, into: &out) }
        case .segment, .entropy, .trailer:
            return
        }
    }

    /// A marker code was read: standalone markers are copied at once, the others announce a segment.
    private mutating func begin(marker: UInt8, into out: inout [UInt8]) throws(UploadRejection) {
        switch marker {
        case Self.endOfImage:
            out += [0xFF, marker]
            state = .trailer
        case 0x01, 0xD0...0xD7:
            out += [0xFF, marker]
            state = .marker
        case 0x00, 0xD8:
            throw .invalidImage("a JPEG segment starts with an invalid marker")
        default:
            state = .length(marker: marker)
        }
    }

    /// A segment's payload is complete (in ``held``): copy it, drop it, or replace Exif with its orientation alone.
    private mutating func endSegment(_ marker: UInt8, into out: inout [UInt8]) {
        let payload = held
        held = []
        state = marker == Self.startOfScan ? .entropy : .marker
        previousWasFF = false
        if Self.keeps(marker: marker, payload: payload) {
            let length = payload.count + 2
            out += [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)]
            out += payload
            return
        }
        removedMetadata = true
        guard marker == 0xE1, !wroteOrientation, payload.starts(with: Self.exifSignature),
            let orientation = ExifOrientation(tiff: payload.dropFirst(Self.exifSignature.count)), orientation.value != 1
        else { return }
        out += orientation.segment
        wroteOrientation = true
    }

    /// Whether a segment is kept: the decoding tables, frame and scan headers, JFIF, ICC profiles and Adobe's colour
    /// transform flag; not Exif, XMP, IPTC, comments or any other application segment.
    static func keeps(marker: UInt8, payload: [UInt8]) -> Bool {
        switch marker {
        case 0xE0: true
        case 0xE2: payload.starts(with: iccSignature)
        case 0xEE: payload.starts(with: adobeSignature)
        case 0xE1...0xEF, 0xFE: false
        default: true
        }
    }
}
