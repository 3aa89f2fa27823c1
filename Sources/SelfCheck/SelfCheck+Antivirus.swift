import Scanning

extension SelfCheck {
    /// (10) The antivirus: clamd answers `PING`, names its engine and signature database, and reports the EICAR test
    /// file as infected. The test file is scanned from memory and never stored; a clamd that passes it as clean has
    /// signatures that cannot be trusted to find anything. Without `MEDVAULT_CLAMD_URL` the check passes in
    /// development, saying so, and fails in production, where stored files would go unscanned.
    func checkAntivirus() async throws(SelfCheckFailure) -> String {
        guard let scanner = clamd else {
            let off = "MEDVAULT_CLAMD_URL is not set, so uploads are not scanned for malware"
            if settings.production { throw SelfCheckFailure("\(off) (in production).") }
            return "Off: \(off) (development)."
        }
        let check = await scanner.check()
        let address = scanner.address
        guard check.reachable, let version = check.version else {
            throw SelfCheckFailure("clamd at \(address) did not answer: \(check.problem.map { "\($0.code): \($0.message)" } ?? "no answer").")
        }
        let signatures =
            if let number = version.signatureVersion, let date = version.signatureDate {
                "signatures \(number) of \(date)"
            } else {
                "unofficial signature databases only (no version or date)"
            }
        guard check.testFileRefused, let signature = check.testSignature else {
            let why = check.problem.map { "the scan failed: \($0.code): \($0.message)" } ?? "clamd reported it clean"
            throw SelfCheckFailure("clamd \(version.engine) at \(address) (\(signatures)) did not refuse the EICAR test file: \(why).")
        }
        return "clamd \(version.engine) at \(address), \(signatures), refused the EICAR test file as \(signature) "
            + "(scanned from memory, never stored)."
    }
}
