/// The policy's answer for one request.
package enum AccessDecision: Sendable, Equatable {
    /// Allowed by the caller's role and relations.
    case allowed
    /// Allowed only because a provider declared an emergency (`X-Break-Glass-Reason`); the audit row is flagged.
    case allowedByBreakGlass
    /// Refused, with why.
    case denied(AccessDenial)
}

/// Why the policy refused; each maps to one stable API error code.
package enum AccessDenial: Error, Sendable, Equatable {
    /// The document or action is outside what the caller's role and relations allow (`forbidden`).
    case notPermitted
    /// Administrators only (`forbidden`, with a message that says so).
    case adminOnly
    /// A provider asked for a patient outside their care team without declaring an emergency
    /// (`break_glass_required`): sending `X-Break-Glass-Reason` would allow it, audited.
    case breakGlassRequired
    /// A patient may delete what they uploaded only within ``AccessPolicy/patientDeleteWindow`` (`delete_window_closed`).
    case deleteWindowClosed

    /// The stable error code the API answers with.
    package var code: String {
        switch self {
        case .notPermitted, .adminOnly: "forbidden"
        case .breakGlassRequired: "break_glass_required"
        case .deleteWindowClosed: "delete_window_closed"
        }
    }
}
