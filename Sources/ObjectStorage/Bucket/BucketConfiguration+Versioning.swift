import Foundation

extension BucketConfiguration {
    /// The `PutBucketVersioning` body that turns versioning on.
    static let versioningBody = document("VersioningConfiguration", element("Status", "Enabled"))

    /// The `Status` of a `GetBucketVersioning` answer: `Enabled`, `Suspended`, or nil for a bucket that never had
    /// versioning (moto names the root `GetBucketVersioningResponse`).
    static func versioningStatus(_ bytes: [UInt8]) throws(S3XMLError) -> String? {
        let root = try S3XMLReader.parse(bytes)
        guard root.name == "VersioningConfiguration" || root.name == "GetBucketVersioningResponse" else {
            throw S3XMLError(reason: "expected VersioningConfiguration", offset: 0)
        }
        let status = root.text(of: "Status")?.trimmingCharacters(in: .whitespaces)
        return status?.isEmpty == false ? status : nil
    }
}
