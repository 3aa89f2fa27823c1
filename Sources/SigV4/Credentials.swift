/// An AWS access key pair, optionally with the session token of temporary (STS) credentials.
///
/// - important: `description`, `debugDescription` and the mirror (`dump`) redact the secret and the token, so a credential that
///   ends up in a log line, an error or a `dump` never leaks them. Only the access key ID (not a secret) is shown.
public struct Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The access key ID, which appears in every signature's credential scope.
    package let accessKeyID: String
    /// The secret access key; it only ever feeds the signing-key derivation.
    package let secretAccessKey: String
    /// The session token of temporary credentials; S3 signs it (`x-amz-security-token` / `X-Amz-Security-Token`).
    package let sessionToken: String?

    /// Creates credentials; validation happens when a `SigV4Signer` is created from them.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` from an environment dictionary
    /// (the CLI passes `ProcessInfo.processInfo.environment`); an empty token counts as none.
    package init(environment: [String: String]) throws(SigV4Error) {
        guard let accessKeyID = environment["AWS_ACCESS_KEY_ID"], !accessKeyID.isEmpty,
            let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else {
            throw SigV4Error.invalidCredentials.with(message: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set")
        }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        self.init(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: token)
    }

    /// Shows the access key ID only.
    public var description: String {
        "Credentials(accessKeyID: \(self.accessKeyID), secretAccessKey: <redacted>"
            + (self.sessionToken == nil ? ")" : ", sessionToken: <redacted>)")
    }

    /// Same as `description`: debugging output must not leak the secret either.
    public var debugDescription: String { self.description }

    /// A mirror with the secret and token redacted, so `dump(credentials)` is as safe as `print`.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyID": self.accessKeyID,
                "secretAccessKey": "<redacted>",
                "sessionToken": self.sessionToken == nil ? "nil" : "<redacted>",
            ]
        )
    }
}
