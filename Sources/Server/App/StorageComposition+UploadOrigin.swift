import Foundation
import ObjectStorage

extension StorageComposition {
    /// The origin (`scheme://host[:port]`) the part URLs of direct uploads point at: the bucket's endpoint on S3
    /// (`AWS_S3_PUBLIC_ENDPOINT` when set), medvault's public URL on the local store. The pages' CSP lets the upload
    /// widget connect there and nowhere else; nil without a store.
    ///
    /// Read off a URL signed for a key that never exists, so that it follows the issuer's own addressing (path or
    /// virtual-host style) instead of repeating it. Signing is local: nothing is sent.
    func directUploadOrigin(date: Date) -> String? {
        guard
            let issuer = presignedURLs,
            let text = try? issuer.presignedPutURL(key: "quarantine/origin", query: [], headers: [], expires: 60, date: date),
            let url = URLComponents(string: text), let scheme = url.scheme, let host = url.host
        else { return nil }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed)" + (url.port.map { ":\($0)" } ?? "")
    }
}
