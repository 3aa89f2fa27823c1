/// What the database decided about a sign-in before any password is checked; see
/// ``UserDirectory/admitSignIn(email:at:maxAttempts:lockDuration:)``.
package enum SignInAdmission: Sendable, Equatable {
    /// No account has this e-mail address.
    case unknownAccount
    /// The account is disabled: refuse without checking the password.
    case disabled(UserRecord)
    /// The account is locked: refuse without checking the password (the attempt is not counted).
    case locked(UserRecord)
    /// Check the password, then settle the attempt with ``UserDirectory/recordFailedSignIn(_:audit:lockoutAudit:)``
    /// or ``UserDirectory/recordSuccessfulSignIn(_:of:at:session:audit:)``.
    case admitted(UserRecord, SignInAttempt)
}

/// How a sign-in whose password was right ended; see ``UserDirectory/recordSuccessfulSignIn(_:of:at:session:audit:)``.
package enum SignInCompletion: Sendable, Equatable {
    /// The session was opened and the failure count cleared.
    case opened
    /// Another attempt locked the account while this one's password was being checked: no session.
    case lockedMeanwhile
    /// The account was disabled while this one's password was being checked: no session.
    case disabledMeanwhile
}
