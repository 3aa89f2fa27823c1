import Foundation

extension BucketConfiguration {
    /// One CORS rule ("CORSRule", S3 API reference): which origins may use which methods with which request headers,
    /// and which response headers their scripts may read.
    ///
    /// Compared as sets: S3 does not promise to keep the order, and header names are case-insensitive (RFC 9110 §5.1).
    package struct CORSRule: Sendable, Equatable {
        package var allowedOrigins: [String]
        package var allowedMethods: [String]
        package var allowedHeaders: [String]
        package var exposeHeaders: [String]
        package var maxAgeSeconds: Int?

        package init(allowedOrigins: [String], allowedMethods: [String], allowedHeaders: [String], exposeHeaders: [String], maxAgeSeconds: Int?) {
            self.allowedOrigins = allowedOrigins
            self.allowedMethods = allowedMethods
            self.allowedHeaders = allowedHeaders
            self.exposeHeaders = exposeHeaders
            self.maxAgeSeconds = maxAgeSeconds
        }

        package static func == (lhs: CORSRule, rhs: CORSRule) -> Bool {
            Set(lhs.allowedOrigins) == Set(rhs.allowedOrigins) && Set(lhs.allowedMethods) == Set(rhs.allowedMethods)
                && Set(lhs.allowedHeaders.map { $0.lowercased() }) == Set(rhs.allowedHeaders.map { $0.lowercased() })
                && Set(lhs.exposeHeaders.map { $0.lowercased() }) == Set(rhs.exposeHeaders.map { $0.lowercased() })
                && lhs.maxAgeSeconds == rhs.maxAgeSeconds
        }

        /// One line for people: `origin https://app.example, methods GET HEAD PUT, headers …, exposes ETag, max age 3600 s`.
        package var summary: String {
            var text = "origin \(self.allowedOrigins.sorted().joined(separator: " "))"
            text += ", methods \(self.allowedMethods.sorted().joined(separator: " "))"
            if !self.allowedHeaders.isEmpty { text += ", headers \(self.allowedHeaders.sorted().joined(separator: " "))" }
            if !self.exposeHeaders.isEmpty { text += ", exposes \(self.exposeHeaders.sorted().joined(separator: " "))" }
            if let maxAgeSeconds { text += ", max age \(maxAgeSeconds) s" }
            return text
        }
    }

    /// The `PutBucketCors` body.
    static func corsBody(_ rules: [CORSRule]) -> String {
        var content = ""
        for rule in rules {
            content += "<CORSRule>"
            content += rule.allowedOrigins.map { element("AllowedOrigin", $0) }.joined()
            content += rule.allowedMethods.map { element("AllowedMethod", $0) }.joined()
            content += rule.allowedHeaders.map { element("AllowedHeader", $0) }.joined()
            content += rule.exposeHeaders.map { element("ExposeHeader", $0) }.joined()
            if let maxAge = rule.maxAgeSeconds { content += element("MaxAgeSeconds", String(maxAge)) }
            content += "</CORSRule>"
        }
        return document("CORSConfiguration", content)
    }

    /// The rules of a `GetBucketCors` answer.
    static func corsRules(_ bytes: [UInt8]) throws(S3XMLError) -> [CORSRule] {
        let root = try S3XMLReader.parse(bytes)
        guard root.name == "CORSConfiguration" else { throw S3XMLError(reason: "expected CORSConfiguration", offset: 0) }
        return try root.children("CORSRule").map { rule throws(S3XMLError) in
            var maxAge: Int?
            if let text = rule.text(of: "MaxAgeSeconds") {
                guard let seconds = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw S3XMLError(reason: "a CORSRule has an invalid MaxAgeSeconds", offset: 0)
                }
                maxAge = seconds
            }
            return CORSRule(
                allowedOrigins: rule.children("AllowedOrigin").map(\.text),
                allowedMethods: rule.children("AllowedMethod").map(\.text),
                allowedHeaders: rule.children("AllowedHeader").map(\.text),
                exposeHeaders: rule.children("ExposeHeader").map(\.text),
                maxAgeSeconds: maxAge
            )
        }
    }
}
