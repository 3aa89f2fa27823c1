import Access
import Foundation

/// Whom a local pre-signed URL was issued to: the user who asked for it and their role at the time.
///
/// It travels inside the URL as the signed query parameter ``LocalPresignedURLs/issuedToParameter``, so each fetch
/// through the URL is audited with the recipient as its actor (and the patient from the key), although the fetch
/// itself carries no credentials. It cannot be forged: the parameter is part of the SigV4 canonical request, so
/// editing, adding or removing it breaks the signature (403 `signature_mismatch`), and it is read only after the
/// signature has verified. The value is base64url of `role:userID`, characters that need no percent-encoding, so
/// the verifier's canonical form and the value read back can never differ. URLs issued without it (before it
/// existed, or by the self-check) still verify; their fetches are audited without an actor.
/// - note: The user id is visible to whoever holds the URL; it is an opaque id, not a name.
struct PresignedURLRecipient: Equatable {
    /// The user's id (what audit rows record as the actor).
    let userID: String
    /// Their role when the URL was issued.
    let role: Role

    init(userID: String, role: Role) {
        self.userID = userID
        self.role = role
    }

    /// The user a URL is being issued to.
    init(_ principal: Principal) {
        self.init(userID: principal.userID, role: principal.role)
    }

    /// Reads the parameter's value back; nil unless it is base64url of `role:userID` with a known role.
    init?(parameterValue: String) {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        guard !parameterValue.isEmpty, parameterValue.utf8.allSatisfy(alphabet.contains),
            let data = Data(base64URLEncoded: parameterValue), let text = String(data: data, encoding: .utf8)
        else { return nil }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let role = Role(rawValue: String(parts[0])), !parts[1].isEmpty else { return nil }
        self.init(userID: String(parts[1]), role: role)
    }

    /// The value of the URL's ``LocalPresignedURLs/issuedToParameter``.
    var parameterValue: String {
        Data("\(role.rawValue):\(userID)".utf8).base64URLEncodedString
    }
}
