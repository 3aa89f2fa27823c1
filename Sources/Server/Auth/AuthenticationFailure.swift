/// Why a request's credentials were not accepted; each is a 401 with a stable code.
///
/// Messages never say whether an account exists.
package enum AuthenticationFailure: Error, Sendable, Equatable {
    /// No session cookie and no bearer token (`unauthenticated`).
    case missingCredentials
    /// The bearer token is malformed, badly signed, of an unaccepted algorithm, or lacks a required claim
    /// (`invalid_token`).
    case invalidToken
    /// The bearer token's `exp` has passed (`token_expired`).
    case tokenExpired
    /// The token or session names a user that does not exist, is disabled, or whose role or patient id no
    /// longer match the token (`invalid_token`).
    case unknownOrDisabledUser
    /// The session cookie is unknown, or ended by the idle timeout or its maximum age (`session_expired`).
    case sessionExpired

    /// The stable error code.
    package var code: String {
        switch self {
        case .missingCredentials: "unauthenticated"
        case .invalidToken, .unknownOrDisabledUser: "invalid_token"
        case .tokenExpired: "token_expired"
        case .sessionExpired: "session_expired"
        }
    }

    /// A message safe to show.
    package var message: String {
        switch self {
        case .missingCredentials: "Sign in, or send `Authorization: Bearer <token>`."
        case .invalidToken, .unknownOrDisabledUser: "The bearer token is not valid."
        case .tokenExpired: "The bearer token has expired."
        case .sessionExpired: "The session has ended; sign in again."
        }
    }
}
