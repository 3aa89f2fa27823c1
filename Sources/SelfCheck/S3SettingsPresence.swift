/// Which of the variables that select S3 are missing (DESIGN.md, "Storage backends"): S3 is used only when
/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and a bucket are all set, so a partial set silently means the
/// local store, and the self-check says which part is missing.
///
/// Only the names are looked at; a value, secret or not, is never read into a message.
enum S3SettingsPresence {
    /// The bucket, which either of two variables names.
    static let bucketVariables = "AWS_S3_DOCUMENTS_BUCKET_NAME or AWS_S3_BUCKET_NAME"

    /// The missing settings, in the order the README lists them; empty when all are set.
    static func missing(in environment: [String: String]) -> [String] {
        func isSet(_ name: String) -> Bool { !(environment[name] ?? "").isEmpty }
        var missing: [String] = []
        if !isSet("AWS_ACCESS_KEY_ID") { missing.append("AWS_ACCESS_KEY_ID") }
        if !isSet("AWS_SECRET_ACCESS_KEY") { missing.append("AWS_SECRET_ACCESS_KEY") }
        if !isSet("AWS_S3_DOCUMENTS_BUCKET_NAME"), !isSet("AWS_S3_BUCKET_NAME") { missing.append("a bucket (\(bucketVariables))") }
        return missing
    }

    /// The number of settings ``missing(in:)`` can report: all three missing means S3 was not attempted.
    static let settingCount = 3
}
