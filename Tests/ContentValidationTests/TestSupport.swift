import ContentValidation
import Documents

/// One libmagic handle for the whole test target, like the server's.
enum TestSupport {
    static let sniffer: MagicSniffer = {
        do {
            return try MagicSniffer()
        } catch {
            fatalError("libmagic is not available: \(error)")
        }
    }()

    /// Runs the whole inspector over `bytes`, in chunks of `chunkSize`.
    static func inspect(
        _ bytes: [UInt8],
        name: String,
        chunkSize: Int = 16 * 1024,
        limits: SizeLimits = .standard,
        category: FileCategory = .other
    ) -> Result<InspectedFile, UploadRejection> {
        var inspector = UploadInspector(fileName: name, category: category, sniffer: sniffer, limits: limits)
        do throws(UploadRejection) {
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + chunkSize, bytes.count)
                try consume(bytes[offset..<end], into: &inspector)
                offset = end
            }
            return .success(try inspector.finish())
        } catch {
            return .failure(error)
        }
    }

    static func consume(_ bytes: ArraySlice<UInt8>, into inspector: inout UploadInspector) throws(UploadRejection) {
        let outcome = bytes.withUnsafeBytes { buffer -> Result<Void, UploadRejection> in
            do throws(UploadRejection) {
                try inspector.consume(buffer)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try outcome.get()
    }

    static func sniff(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { sniffer.mimeType(of: $0) }
    }
}

extension Result {
    /// The rejection, when there was one.
    var rejection: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    /// The value, when there was one.
    var value: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}
