import Foundation

extension BucketConfiguration {
    /// One lifecycle rule as far as medvault sets rules ("LifecycleRule", S3 API reference): a key prefix, expiry of
    /// current objects after some days, abort of incomplete multipart uploads after some days. Anything else a rule
    /// read back carries (transitions, tag or size filters, noncurrent-version actions) is named in
    /// ``otherElements``, so a rule changed that way never compares equal to medvault's.
    package struct LifecycleRule: Sendable, Equatable {
        /// `ID`: how `bucket check` names the rule.
        package var id: String
        /// `Filter/Prefix` (or the older rule-level `Prefix`); empty for the whole bucket.
        package var prefix: String
        /// `Status` is `Enabled`.
        package var enabled: Bool
        /// `Expiration/Days`.
        package var expirationDays: Int?
        /// `AbortIncompleteMultipartUpload/DaysAfterInitiation`.
        package var abortIncompleteUploadsAfterDays: Int?
        /// The names of the elements medvault does not set, found in a rule read back.
        package var otherElements: [String]

        package init(
            id: String,
            prefix: String,
            enabled: Bool = true,
            expirationDays: Int? = nil,
            abortIncompleteUploadsAfterDays: Int? = nil,
            otherElements: [String] = []
        ) {
            self.id = id
            self.prefix = prefix
            self.enabled = enabled
            self.expirationDays = expirationDays
            self.abortIncompleteUploadsAfterDays = abortIncompleteUploadsAfterDays
            self.otherElements = otherElements
        }

        /// `temp/: expire after 7 days` or `(all): abort incomplete multipart uploads after 1 day`.
        package var summary: String {
            var actions: [String] = []
            if let expirationDays { actions.append("expire after \(expirationDays) days") }
            if let days = abortIncompleteUploadsAfterDays {
                actions.append("abort incomplete multipart uploads after \(days) day\(days == 1 ? "" : "s")")
            }
            actions += self.otherElements
            if !self.enabled { actions.append("disabled") }
            return "\(self.prefix.isEmpty ? "(all keys)" : self.prefix): \(actions.isEmpty ? "no action" : actions.joined(separator: ", "))"
        }
    }

    /// The `PutBucketLifecycleConfiguration` body.
    static func lifecycleBody(_ rules: [LifecycleRule]) -> String {
        var content = ""
        for rule in rules {
            content += "<Rule>" + element("ID", rule.id) + "<Filter>" + element("Prefix", rule.prefix) + "</Filter>"
            content += element("Status", rule.enabled ? "Enabled" : "Disabled")
            if let days = rule.expirationDays { content += "<Expiration>\(element("Days", String(days)))</Expiration>" }
            if let days = rule.abortIncompleteUploadsAfterDays {
                content += "<AbortIncompleteMultipartUpload>\(element("DaysAfterInitiation", String(days)))</AbortIncompleteMultipartUpload>"
            }
            content += "</Rule>"
        }
        return document("LifecycleConfiguration", content)
    }

    /// The elements of a rule that medvault reads; any other child is one of ``LifecycleRule/otherElements``.
    private static let knownRuleElements: Set<String> = ["ID", "Filter", "Prefix", "Status", "Expiration", "AbortIncompleteMultipartUpload"]

    /// The rules of a `GetBucketLifecycleConfiguration` answer.
    static func lifecycleRules(_ bytes: [UInt8]) throws(S3XMLError) -> [LifecycleRule] {
        let root = try S3XMLReader.parse(bytes)
        guard root.name == "LifecycleConfiguration" else { throw S3XMLError(reason: "expected LifecycleConfiguration", offset: 0) }
        return try root.children("Rule").map { rule throws(S3XMLError) in
            var other = rule.children.map(\.name).filter { !knownRuleElements.contains($0) }
            let filter = rule.child("Filter")
            if let filter, filter.children.contains(where: { $0.name != "Prefix" }) {
                other.append("Filter/" + filter.children.map(\.name).joined(separator: "+"))
            }
            let expiration = rule.child("Expiration")
            if let expiration, expiration.children.contains(where: { $0.name != "Days" }) { other.append("Expiration without Days") }
            return LifecycleRule(
                id: rule.text(of: "ID") ?? "",
                prefix: filter?.text(of: "Prefix") ?? rule.text(of: "Prefix") ?? "",
                enabled: rule.text(of: "Status")?.trimmingCharacters(in: .whitespaces) == "Enabled",
                expirationDays: try days(expiration?.text(of: "Days")),
                abortIncompleteUploadsAfterDays: try days(rule.child("AbortIncompleteMultipartUpload")?.text(of: "DaysAfterInitiation")),
                otherElements: other
            )
        }
    }

    private static func days(_ text: String?) throws(S3XMLError) -> Int? {
        guard let text else { return nil }
        guard let days = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw S3XMLError(reason: "a lifecycle rule has invalid days", offset: 0)
        }
        return days
    }
}
