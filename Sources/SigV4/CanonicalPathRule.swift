/// How the path becomes the canonical URI (line 2 of the canonical request).
public enum CanonicalPathRule: Sendable, Hashable {
    /// S3: no normalisation at all (`//`, `.` and `..` are significant in object keys); each byte of the path is
    /// URI-encoded once, `/` kept. The path given is the decoded one (`/bucket/my file.txt`).
    case s3
    /// Every other AWS service: remove `.`/`..` segments and empty segments (RFC 3986 section 5.2.4), then URI-encode.
    /// These services expect the already-encoded request path to be encoded again ("double encoding"), so pass the
    /// path as it is sent on the wire. Used to run AWS's generic SigV4 test suite.
    case normalized
}
