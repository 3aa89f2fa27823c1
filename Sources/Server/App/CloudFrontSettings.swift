import Configuration
import Documents
import Foundation

/// How download URLs are signed for CloudFront: `AWS_CLOUDFRONT_KEY_PAIR_ID`, `AWS_CLOUDFRONT_PRIVATE_KEY_FILE` (PEM,
/// RSA) and `MEDVAULT_CLOUDFRONT_CATEGORIES` (comma-separated categories; unset or empty: all), with the
/// distribution's `AWS_CLOUDFRONT_URL`. The three variables go together: any one without the others is a start-up
/// error rather than URLs silently left unsigned.
package struct CloudFrontSettings: Sendable, Equatable {
    package var distribution: URL
    package var keyPairID: String
    /// The path of the PEM file; the key itself is read once at start-up and never logged.
    package var privateKeyFile: String
    package var categories: Set<FileCategory>

    /// Reads the settings; nil when neither the key pair id nor the key file is set.
    static func load(from reader: ConfigReader, distribution: URL?) throws(ConfigurationError) -> CloudFrontSettings? {
        let keyPairID = reader.string(forKey: "aws.cloudfront.key.pair.id").nonEmpty
        let keyFile = reader.string(forKey: "aws.cloudfront.private.key.file").nonEmpty
        guard keyPairID != nil || keyFile != nil else { return nil }
        guard let distribution, let keyPairID, let keyFile else {
            throw .invalid("AWS_CLOUDFRONT_URL, AWS_CLOUDFRONT_KEY_PAIR_ID and AWS_CLOUDFRONT_PRIVATE_KEY_FILE must be set together")
        }
        return CloudFrontSettings(
            distribution: distribution,
            keyPairID: keyPairID,
            privateKeyFile: keyFile,
            categories: try parseCategories(reader.string(forKey: "medvault.cloudfront.categories"))
        )
    }

    /// `MEDVAULT_CLOUDFRONT_CATEGORIES`: every name must be a category; unset or blank means all of them.
    static func parseCategories(_ text: String?) throws(ConfigurationError) -> Set<FileCategory> {
        let names = (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { return Set(FileCategory.allCases) }
        var categories: Set<FileCategory> = []
        for name in names {
            guard let category = FileCategory(rawValue: name) else {
                let valid = FileCategory.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalid("MEDVAULT_CLOUDFRONT_CATEGORIES names an unknown category; valid: \(valid)")
            }
            categories.insert(category)
        }
        return categories
    }
}
