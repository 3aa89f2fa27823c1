import ArgumentParser
import Foundation
import SigV4

/// `medvault presign`: prints a pre-signed S3 URL, signed with the credentials in the environment.
///
/// All parsing and defaults live in `SigV4.PresignOptions` (unit-tested there); this command only maps options.
struct PresignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presign",
        abstract: "Print a pre-signed S3 URL (SigV4 query signing).",
        discussion: """
            Signs with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN. The region defaults to \
            AWS_REGION, else us-east-1; the endpoint to https://s3.<region>.amazonaws.com. Addressing defaults to \
            virtual-hosted for amazonaws.com endpoints and path-style for any other endpoint.
            """
    )

    /// The two addressing flags, mutually exclusive.
    enum Addressing: String, EnumerableFlag {
        case pathStyle
        case virtualHosted

        static func help(for value: Addressing) -> ArgumentHelp? {
            switch value {
            case .pathStyle: "Use https://endpoint/bucket/key."
            case .virtualHosted: "Use https://bucket.endpoint/key."
            }
        }
    }

    @Option(help: "HTTP method: \(PresignOptions.methods.joined(separator: ", ")).")
    var method: String = "GET"

    @Option(help: "Bucket name.")
    var bucket: String

    @Option(help: "Object key (not URL-encoded).")
    var key: String

    @Option(help: "S3 endpoint, e.g. https://s3.us-east-1.amazonaws.com or http://127.0.0.1:9000.")
    var endpoint: String?

    @Option(help: "Region of the signature (default: AWS_REGION, else us-east-1).")
    var region: String?

    @Option(help: "Seconds the URL stays valid, 1...604800.")
    var expires: Int = 3600

    @Option(help: "Signing time as YYYYMMDDTHHMMSSZ (UTC); default: now.")
    var date: String?

    @Flag(exclusivity: .exclusive)
    var addressing: Addressing?

    @Option(name: .customLong("query"), help: "Extra signed query parameter NAME=VALUE (repeatable).")
    var queryParameters: [String] = []

    @Option(name: .customLong("header"), help: "Extra signed header NAME:VALUE (repeatable); send it with the request.")
    var headers: [String] = []

    /// Rejects bad input (method, expiry, date, endpoint, bucket, query, headers, missing credentials) before running.
    func validate() throws {
        do throws(SigV4Error) {
            try self.options.validate()
            _ = try Credentials(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let url: String
        do throws(SigV4Error) {
            url = try self.options.presignedURL(environment: ProcessInfo.processInfo.environment, now: Date())
        } catch {
            throw ValidationError(error.message)
        }
        print(url)
    }

    private var options: PresignOptions {
        var options = PresignOptions(bucket: self.bucket, key: self.key)
        options.method = self.method
        options.endpoint = self.endpoint
        options.region = self.region
        options.expires = self.expires
        options.date = self.date
        options.style = self.addressing.map { $0 == .pathStyle ? .path : .virtualHosted }
        options.query = self.queryParameters
        options.headers = self.headers
        return options
    }
}
