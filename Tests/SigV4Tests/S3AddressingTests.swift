import Testing

@testable import SigV4

@Suite("S3Addressing")
struct S3AddressingTests {
    @Test(
        "endpoints: scheme, host with non-default port, default style",
        arguments: [
            ("https://s3.us-east-1.amazonaws.com", "https", "s3.us-east-1.amazonaws.com", S3Addressing.Style.virtualHosted),
            ("https://S3.EU-WEST-1.AMAZONAWS.COM/", "https", "s3.eu-west-1.amazonaws.com", .virtualHosted),
            ("https://s3.cn-north-1.amazonaws.com.cn", "https", "s3.cn-north-1.amazonaws.com.cn", .virtualHosted),
            ("http://127.0.0.1:9000", "http", "127.0.0.1:9000", .path),
            ("http://minio:80", "http", "minio", .path),
            ("https://ceph.example.org:443/", "https", "ceph.example.org", .path),
            ("https://ceph.example.org:8443", "https", "ceph.example.org:8443", .path),
            ("http://[::1]:9000", "http", "[::1]:9000", .path),
            ("http://localhost", "http", "localhost", .path),
        ]
    )
    func endpoints(endpoint: String, scheme: String, host: String, style: S3Addressing.Style) throws {
        let addressing = try S3Addressing(endpoint: endpoint)
        #expect(addressing.scheme == scheme)
        #expect(addressing.host == host)
        #expect(addressing.style == style)
    }

    @Test(
        "malformed endpoints are refused",
        arguments: [
            "", "s3.amazonaws.com", "ftp://host", "https://", "https://host/base", "https://user@host", "https://host?x=1", "https://host#f",
            "https://host:0", "https://host:65536", "https://host:", "https://host:+80", "https://ho st", "https://-host", "https://a..b",
            "https://[::1", "https://ho%st",
        ]
    )
    func malformedEndpoints(endpoint: String) {
        #expect(throws: SigV4Error.invalidEndpoint) { try S3Addressing(endpoint: endpoint) }
    }

    @Test("path-style and virtual-hosted locations")
    func locations() throws {
        let path = try S3Addressing(endpoint: "http://127.0.0.1:9000", style: .path)
        #expect(try path.location(bucket: "b", key: "a b/c") == S3Location(scheme: "http", host: "127.0.0.1:9000", path: "/b/a b/c"))
        #expect(try path.location(bucket: "b", key: nil).path == "/b")
        #expect(try path.location(bucket: "b", key: "").path == "/b")
        #expect(try path.location(bucket: "Legacy_Bucket.1", key: "/x").path == "/Legacy_Bucket.1//x")
        let virtual = try S3Addressing(endpoint: "https://s3.us-east-1.amazonaws.com")
        #expect(
            try virtual.location(bucket: "my-bucket", key: "k")
                == S3Location(scheme: "https", host: "my-bucket.s3.us-east-1.amazonaws.com", path: "/k")
        )
        #expect(try virtual.location(bucket: "my-bucket", key: nil).path == "/")
        let forcedPath = try S3Addressing(endpoint: "https://s3.us-east-1.amazonaws.com", style: .path)
        #expect(try forcedPath.location(bucket: "my-bucket", key: "k").host == "s3.us-east-1.amazonaws.com")
        #expect(S3Addressing.defaultEndpoint(region: "eu-west-3") == "https://s3.eu-west-3.amazonaws.com")
    }

    @Test("bucket names that cannot be addressed are refused")
    func badBuckets() throws {
        let virtual = try S3Addressing(endpoint: "https://s3.us-east-1.amazonaws.com")
        for bucket in ["", "ab", "Upper", "with.dot", "-start", "end-", "under_score", String(repeating: "a", count: 64)] {
            #expect(throws: SigV4Error.invalidBucket, "\(bucket)") { try virtual.location(bucket: bucket, key: "k") }
        }
        let path = try S3Addressing(endpoint: "http://minio:9000")
        for bucket in ["", "a/b", "a b", "a?b", String(repeating: "a", count: 256)] {
            #expect(throws: SigV4Error.invalidBucket, "\(bucket)") { try path.location(bucket: bucket, key: "k") }
        }
    }
}
