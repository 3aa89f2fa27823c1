import Crypto
import Foundation
import _CryptoExtras

extension CloudFrontSigner {
    /// Checks a signed URL as CloudFront would, with the public half of this signer's key: it names `resource`, carries
    /// exactly `Expires`, `Signature` and `Key-Pair-Id` (this key pair's), and the signature verifies over the canned
    /// policy rebuilt from them. For the self-check: the configured key loads, signs, and its URLs parse back to the
    /// resource they were made for.
    package func verifies(_ url: String, resource: String) -> Bool {
        guard url.hasPrefix(resource + "?") else { return false }
        let pairs = url.dropFirst(resource.count + 1).split(separator: "&", omittingEmptySubsequences: false).map {
            $0.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        }
        guard pairs.count == 3, pairs.allSatisfy({ $0.count == 2 }),
            pairs.map({ $0[0] }) == ["Expires", "Signature", "Key-Pair-Id"],
            let expires = Int64(pairs[0][1]), pairs[2][1] == keyPairID,
            let signature = Self.urlSafeBase64Decoded(pairs[1][1]),
            let policy = try? Self.cannedPolicy(resource: resource, expires: expires)
        else { return false }
        return key.publicKey.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature),
            for: Insecure.SHA1.hash(data: Data(policy.utf8)),
            padding: .insecurePKCS1v1_5
        )
    }

    /// The inverse of ``urlSafeBase64(_:)``.
    static func urlSafeBase64Decoded(_ text: String) -> Data? {
        Data(
            base64Encoded: String(
                text.map { character in
                    switch character {
                    case "-": "+"
                    case "_": "="
                    case "~": "/"
                    default: character
                    }
                }
            )
        )
    }
}
