import ContentValidation
import Documents

/// Runs a ``MetadataStripper`` over a whole file in chunks of one size, as an upload would feed it.
struct StripperRun: Equatable {
    let bytes: [UInt8]
    let removedMetadata: Bool

    /// The stripped bytes, or the rejection that `consume` or `finish` threw.
    static func strip(_ input: [UInt8], as type: AllowedType, chunkSize: Int) -> Result<StripperRun, UploadRejection> {
        guard var stripper = makeMetadataStripper(for: type) else { return .failure(.unsupportedType("no stripper")) }
        var output: [UInt8] = []
        do throws(UploadRejection) {
            var offset = 0
            while offset < input.count {
                let end = min(offset + chunkSize, input.count)
                let stripped = Array(input[offset..<end]).withUnsafeBytes { bytes in
                    Result { () throws(UploadRejection) in try stripper.consume(bytes) }
                }
                output += try stripped.get()
                offset = end
            }
            try stripper.finish()
            return .success(StripperRun(bytes: output, removedMetadata: stripper.removedMetadata))
        } catch {
            return .failure(error)
        }
    }

    /// The same, for every chunk size that splits the file differently: one byte, a few bytes, whole.
    static func stripInEveryChunking(_ input: [UInt8], as type: AllowedType) -> [Result<StripperRun, UploadRejection>] {
        [1, 2, 3, 5, 7, 64, input.count].map { strip(input, as: type, chunkSize: max(1, $0)) }
    }

    /// The code of each chunking's rejection, nil where the file was accepted.
    static func rejectionCodes(_ input: [UInt8], as type: AllowedType) -> [String?] {
        stripInEveryChunking(input, as: type).map { result in
            guard case .failure(let rejection) = result else { return nil }
            return rejection.code
        }
    }
}
