extension AuditEntry {
    /// The longest text, in characters, that one field of a stored audit row keeps.
    ///
    /// Audit fields come partly from clients (`User-Agent`, reasons); a cap keeps one request from bloating
    /// the trail. Object keys are at most 1,024 bytes (the S3 limit), so every legitimate value fits.
    package static let maximumFieldLength = 1024

    /// This entry made safe to store: each text field cut to ``maximumFieldLength`` characters and every NUL
    /// replaced by U+FFFD.
    ///
    /// SQLite's C API returns text up to the first NUL, so a NUL would make a row read back differently from how
    /// it was hashed, and the chain would look broken. The writer applies this before hashing, so the stored
    /// row and its hash always agree; `sanitizedForStorage()` of a sanitised entry is the entry itself.
    package func sanitizedForStorage() -> AuditEntry {
        var copy = self
        copy.errorCode = errorCode.map(Self.sanitize)
        copy.documentID = documentID.map(Self.sanitize)
        copy.documentKey = documentKey.map(Self.sanitize)
        copy.patientID = patientID.map(Self.sanitize)
        copy.actorID = actorID.map(Self.sanitize)
        copy.actorRole = actorRole.map(Self.sanitize)
        copy.reason = reason.map(Self.sanitize)
        copy.clientAddress = clientAddress.map(Self.sanitize)
        copy.userAgent = userAgent.map(Self.sanitize)
        copy.requestID = Self.sanitize(requestID)
        copy.detail = detail.map(Self.sanitize)
        return copy
    }

    private static func sanitize(_ text: String) -> String {
        let capped = text.count > maximumFieldLength ? String(text.prefix(maximumFieldLength)) : text
        guard capped.utf8.contains(0) else { return capped }
        return String(String.UnicodeScalarView(capped.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : $0 }))
    }
}
