import Foundation
import Testing

@testable import SigV4

/// The `medvault presign` inputs: parsing, defaults and every error case.
@Suite("PresignOptions")
struct PresignOptionsTests {
    static let environment = ["AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    func docExample() -> PresignOptions {
        var options = PresignOptions(bucket: "examplebucket", key: "test.txt")
        options.endpoint = "https://s3.amazonaws.com"
        options.region = "us-east-1"
        options.expires = 86_400
        options.date = "20130524T000000Z"
        options.style = .virtualHosted
        return options
    }

    @Test("AWS's documented pre-signed GET example, exactly")
    func awsDocumentedExample() throws {
        let url = try self.docExample().presignedURL(environment: Self.environment, now: Self.now)
        #expect(
            url
                == "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z"
                + "&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        )
    }

    @Test("defaults: AWS_REGION, regional endpoint, virtual-hosted on AWS, path-style elsewhere, now, 3600 s")
    func defaults() throws {
        var environment = Self.environment
        environment["AWS_REGION"] = "eu-west-3"
        let options = PresignOptions(bucket: "medvault", key: "a b.pdf")
        let url = try options.presignedURL(environment: environment, now: Self.now)
        #expect(url.hasPrefix("https://medvault.s3.eu-west-3.amazonaws.com/a%20b.pdf?"))
        #expect(url.contains("%2F20260101%2Feu-west-3%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&"))
        let noRegion = try options.presignedURL(environment: Self.environment, now: Self.now)
        #expect(noRegion.hasPrefix("https://medvault.s3.us-east-1.amazonaws.com/"))
        var minio = options
        minio.endpoint = "http://127.0.0.1:9000"
        #expect(try minio.presignedURL(environment: Self.environment, now: Self.now).hasPrefix("http://127.0.0.1:9000/medvault/a%20b.pdf?"))
    }

    @Test("extra query parameters and headers are signed in; a session token is signed too")
    func extras() throws {
        var options = self.docExample()
        options.method = "put"
        options.query = ["response-content-type=text/plain; charset=utf-8", "uploads"]
        options.headers = ["x-amz-server-side-encryption: AES256", "Content-Type:text/plain"]
        var environment = Self.environment
        environment["AWS_SESSION_TOKEN"] = "tok+en"
        let url = try options.presignedURL(environment: environment, now: Self.now)
        #expect(url.contains("X-Amz-SignedHeaders=content-type%3Bhost%3Bx-amz-server-side-encryption"))
        #expect(url.contains("&response-content-type=text%2Fplain%3B%20charset%3Dutf-8&uploads=&X-Amz-Signature="))
        #expect(url.contains("X-Amz-Security-Token=tok%2Ben&"))
    }

    @Test("parsing of --query, --header and --method")
    func parsing() throws {
        #expect(try PresignOptions.queryParameter("a=b=c") == ("a", "b=c"))
        #expect(try PresignOptions.queryParameter("uploads") == ("uploads", ""))
        #expect(try PresignOptions.queryParameter("partNumber=") == ("partNumber", ""))
        #expect(try PresignOptions.header(" Content-Type :  text/plain ") == ("Content-Type", "text/plain"))
        #expect(try PresignOptions.header("x-amz-meta-a:b:c") == ("x-amz-meta-a", "b:c"))
        #expect(try PresignOptions.method("delete") == "DELETE")
        #expect(throws: SigV4Error.invalidQueryParameter) { try PresignOptions.queryParameter("=v") }
        #expect(throws: SigV4Error.invalidQueryParameter) { try PresignOptions.queryParameter("") }
        #expect(throws: SigV4Error.invalidHeader) { try PresignOptions.header("no-colon") }
        #expect(throws: SigV4Error.invalidHeader) { try PresignOptions.header("bad name:v") }
        #expect(throws: SigV4Error.invalidHeader) { try PresignOptions.header(":v") }
        #expect(throws: SigV4Error.invalidMethod) { try PresignOptions.method("FETCH") }
    }

    @Test(
        "bad input is refused with a clear error",
        arguments: [
            ("method", "PATCH", SigV4Error.invalidMethod), ("expires", "0", .invalidExpiry), ("expires", "604801", .invalidExpiry),
            ("date", "2013-05-24T00:00:00Z", .invalidDate), ("date", "20130532T000000Z", .invalidDate),
            ("endpoint", "s3.amazonaws.com", .invalidEndpoint), ("endpoint", "https://host/path", .invalidEndpoint),
            ("query", "X-Amz-Signature=x", .invalidQueryParameter), ("header", "host:evil", .invalidHeader),
            ("header", "Authorization:x", .invalidHeader), ("bucket", "Bad_Bucket", .invalidBucket), ("region", "us east", .invalidScope),
        ]
    )
    func badInput(option: String, value: String, error: SigV4Error) {
        var options = self.docExample()
        switch option {
        case "method": options.method = value
        case "expires": options.expires = Int(value) ?? 0
        case "date": options.date = value
        case "endpoint": options.endpoint = value
        case "query": options.query = [value]
        case "header": options.headers = [value]
        case "bucket": options.bucket = value
        default: options.region = value
        }
        #expect(throws: error) { try options.validate() }
        #expect(throws: error) { try options.presignedURL(environment: Self.environment, now: Self.now) }
        #expect(!error.message.isEmpty)
    }

    @Test("missing credentials are refused at signing, not at validation")
    func missingCredentials() throws {
        try self.docExample().validate()
        #expect(throws: SigV4Error.invalidCredentials) { try self.docExample().presignedURL(environment: [:], now: Self.now) }
    }
}
