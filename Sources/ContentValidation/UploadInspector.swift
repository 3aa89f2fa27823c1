import Documents

/// The upload policy as a streaming state machine: feed it the bytes of one file as they arrive, and it decides
/// the type from the content, enforces the size limits and scans SVGs, without doing any I/O itself.
///
/// Usage: `consume` each chunk; hold bytes back until ``decidedType`` is non-`nil` (after the first 64 KiB, or
/// at ``finish()`` for smaller files), then open the storage writer with that type's MIME type; call
/// ``finish()`` at the end.
///
/// - important: ``finish()`` can still reject a file whose type was decided (the directory check of .docx/.xlsx
///   and of .doc/.xls that libmagic could not name, the end of an SVG), so the caller must delete what it wrote when `finish()` throws. Once a call has thrown,
///   every later call throws the same rejection.
package struct UploadInspector: Sendable {
    /// Bytes buffered for sniffing: enough for every libmagic rule we rely on.
    package static let headCapacity = 64 * 1024
    /// Bytes kept from the end of Office uploads, to read the ZIP central directory (.docx/.xlsx) or the CFB
    /// directory (.doc/.xls).
    package static let tailCapacity = 256 * 1024

    private let sniffer: MagicSniffer
    private let limits: SizeLimits
    private let category: FileCategory
    private let expected: Result<(type: AllowedType, fileExtension: String), UploadRejection>
    private var head: [UInt8] = []
    private var tail: RollingTail?
    private var svgScanner: SVGSafetyScanner?
    private var total = 0
    private var sniffedMimeType = ""
    private var rejection: UploadRejection?

    /// The type, once decided from the head; `nil` until then. The caller may start writing when it is set.
    package private(set) var decidedType: AllowedType?

    /// Prepares to inspect one file named `fileName` (already sanitised with ``FileNameSanitizer``) that is to be
    /// stored in `category`, whose types and size cap apply on top of the allow-list and `limits`.
    package init(fileName: String, category: FileCategory, sniffer: MagicSniffer, limits: SizeLimits = .standard) {
        self.sniffer = sniffer
        self.limits = limits
        self.category = category
        self.expected = Self.expectation(for: fileName, in: category)
        if case .success(let expectation) = expected, [.doc, .docx, .xls, .xlsx].contains(expectation.type) {
            self.tail = RollingTail(capacity: Self.tailCapacity)
        }
        head.reserveCapacity(Self.headCapacity)
    }

    /// Takes the next chunk of the file.
    ///
    /// - Throws: ``UploadRejection`` as soon as the file is known to be unacceptable: a missing or unknown
    ///   extension, a size past the limit (in the chunk that crosses it), content that is not the named type,
    ///   or unsafe SVG content.
    package mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(UploadRejection) {
        if let rejection { throw rejection }
        do {
            try consumeChecked(bytes)
        } catch {
            rejection = error
            throw error
        }
    }

    /// Ends the file and returns what it is.
    ///
    /// - Throws: ``UploadRejection``: `empty_file` for no bytes, or any check that needs the whole file.
    package mutating func finish() throws(UploadRejection) -> InspectedFile {
        if let rejection { throw rejection }
        do {
            return try finishChecked()
        } catch {
            rejection = error
            throw error
        }
    }

    private mutating func consumeChecked(_ bytes: UnsafeRawBufferPointer) throws(UploadRejection) {
        guard !bytes.isEmpty else { return }
        let expectedType = try expected.get().type
        total += bytes.count
        try checkSize(of: expectedType)

        var rest = bytes[...]
        if decidedType == nil {
            let taken = min(Self.headCapacity - head.count, bytes.count)
            head.append(contentsOf: bytes[..<taken])
            rest = bytes[taken...]
            if head.count == Self.headCapacity { try decide() }
        }
        if !rest.isEmpty { try svgScanner?.scan(UnsafeRawBufferPointer(rebasing: rest)) }
        tail?.append(bytes)
    }

    private mutating func finishChecked() throws(UploadRejection) -> InspectedFile {
        guard total > 0 else { throw .empty }
        let type: AllowedType
        if let decidedType {
            type = decidedType
        } else {
            type = try decide()
        }
        try svgScanner?.finish()
        let tailBytes = tail?.bytes ?? head[...]
        if type == .docx || type == .xlsx {
            try ContentTypePolicy.confirmOfficeOpenXML(type, head: head, tail: tailBytes, totalSize: total)
        }
        if type == .doc || type == .xls, ContentTypePolicy.isGenericCompoundFile(sniffedMimeType) {
            try ContentTypePolicy.confirmCompoundFile(type, head: head, tail: tailBytes, totalSize: total)
        }
        return InspectedFile(type: type, size: total, mimeType: type.mimeType, sniffedMimeType: sniffedMimeType)
    }

    /// The per-type limit applies from the first byte: the decided type must be in the extension's family, and
    /// every family member has the same kind. Videos are outside the overall limit (``SizeLimits/videoMaxBytes``).
    private func checkSize(of expectedType: AllowedType) throws(UploadRejection) {
        try Self.checkSize(total, of: expectedType, in: category, limits: limits)
    }

    private static func checkSize(_ total: Int, of expectedType: AllowedType, in category: FileCategory, limits: SizeLimits) throws(UploadRejection) {
        let kind = expectedType.kind
        if kind != .video, total > limits.overallMaxBytes { throw .tooLarge(limit: limits.overallMaxBytes, kind: nil) }
        let kindLimit = limits.maxBytes(for: kind)
        if total > kindLimit { throw .tooLarge(limit: kindLimit, kind: kind) }
        if let cap = category.maxBytes, total > cap { throw .tooLarge(limit: cap, category: category) }
    }

    /// The checks that need no bytes, for a file announced by name and size before it exists (a direct upload, which
    /// signs nothing for a file that would be refused): the extension must be on the allow-list and the size within
    /// its type's limit. Returns the type the name announces; the bytes are inspected when they have arrived.
    /// - Throws: ``UploadRejection``: `missing_extension`, `unsupported_type`, `empty_file` or `file_too_large`.
    package static func precheck(
        fileName: String,
        category: FileCategory,
        size: Int,
        limits: SizeLimits = .standard
    ) throws(UploadRejection) -> AllowedType {
        let type = try expectation(for: fileName, in: category).get().type
        guard size > 0 else { throw .empty }
        try checkSize(size, of: type, in: category, limits: limits)
        return type
    }

    @discardableResult
    private mutating func decide() throws(UploadRejection) -> AllowedType {
        let expectation = try expected.get()
        sniffedMimeType = head.withUnsafeBytes { sniffer.mimeType(of: $0) }
        let type = try ContentTypePolicy.decide(
            expected: expectation.type,
            fileExtension: expectation.fileExtension,
            sniffed: sniffedMimeType,
            head: head
        )
        if type == .svg {
            var scanner = SVGSafetyScanner()
            try Self.scan(head, with: &scanner)
            svgScanner = scanner
        }
        decidedType = type
        return type
    }

    private static func scan(_ bytes: [UInt8], with scanner: inout SVGSafetyScanner) throws(UploadRejection) {
        // `Array.withUnsafeBytes` rethrows untyped errors; carry the typed one out as a `Result`.
        let outcome = bytes.withUnsafeBytes { buffer -> Result<Void, UploadRejection> in
            do throws(UploadRejection) {
                try scanner.scan(buffer)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try outcome.get()
    }

    /// The type the name announces, or why the name cannot be accepted (in `category`).
    private static func expectation(
        for fileName: String,
        in category: FileCategory
    ) -> Result<(type: AllowedType, fileExtension: String), UploadRejection> {
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return .failure(.missingExtension) }
        let fileExtension = fileName[fileName.index(after: dot)...].lowercased()
        guard !fileExtension.isEmpty else { return .failure(.missingExtension) }
        guard let type = AllowedType(fileExtension: fileExtension) else {
            return .failure(.unsupportedType("files with this extension are not accepted; allowed: \(UploadRejection.allowedExtensionList)"))
        }
        guard category.allowedTypes.contains(type) else {
            let allowed = category.allowedTypes.flatMap(\.extensions).map { ".\($0)" }.joined(separator: ", ")
            return .failure(.unsupportedType(".\(fileExtension) files are not accepted in \(category.rawValue); allowed: \(allowed)"))
        }
        return .success((type, fileExtension))
    }
}
