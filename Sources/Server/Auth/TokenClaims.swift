import Foundation
import JWTKit

/// The claims of a medvault bearer token: `sub`, `role`, `patient_id` for patients, and `exp`,
/// all required where they apply; `iat` is written by medvault and optional for other issuers. `iss` and `aud`
/// are required of an identity provider's tokens, and `nbf` is honoured when present (see ``BearerTokens``).
package struct TokenClaims: JWTPayload, Equatable {
    /// The user: their medvault id or e-mail.
    package var sub: SubjectClaim
    /// `patient`, `provider` or `admin`.
    package var role: String
    /// For patients, the patient id they are.
    package var patientID: String?
    package var exp: ExpirationClaim
    package var iat: IssuedAtClaim?
    package var nbf: NotBeforeClaim?
    package var iss: IssuerClaim?
    package var aud: AudienceClaim?

    package init(subject: String, role: String, patientID: String?, issuedAt: Date, expiresAt: Date) {
        self.sub = SubjectClaim(value: subject)
        self.role = role
        self.patientID = patientID
        self.exp = ExpirationClaim(value: expiresAt)
        self.iat = IssuedAtClaim(value: issuedAt)
    }

    private enum CodingKeys: String, CodingKey {
        case sub, role, exp, iat, nbf, iss, aud
        case patientID = "patient_id"
    }

    /// Times, issuer and audience are checked by ``BearerTokens`` against the application's clock and
    /// configuration, so tests can move time.
    package func verify(using algorithm: some JWTAlgorithm) async throws {}
}
