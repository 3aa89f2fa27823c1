import Configuration
import Documents

extension AppConfiguration {
    /// `MEDVAULT_BUCKET_ROUTES`, parsed strictly (``BucketRoutes``). CloudFront serves one origin, the documents bucket,
    /// so a routed category must not be among `MEDVAULT_CLOUDFRONT_CATEGORIES` (all categories when unset): its
    /// downloads use S3's own pre-signed URLs to its bucket.
    static func loadBucketRoutes(from reader: ConfigReader, s3: S3Settings?) throws(ConfigurationError) -> BucketRoutes {
        let routes: BucketRoutes
        do {
            routes = try BucketRoutes(parsing: reader.string(forKey: "medvault.bucket.routes") ?? "")
        } catch {
            throw .invalid(error.description)
        }
        if let cloudFront = s3?.cloudFront,
            let served = routes.buckets.keys.sorted(by: { $0.rawValue < $1.rawValue }).first(where: cloudFront.categories.contains)
        {
            throw .invalid(
                "MEDVAULT_CLOUDFRONT_CATEGORIES must leave out \(served.rawValue), which MEDVAULT_BUCKET_ROUTES sends to its own bucket: CloudFront serves the documents bucket only"
            )
        }
        return routes
    }
}
