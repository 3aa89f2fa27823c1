import Testing

@testable import SigV4

@Suite("Credentials")
struct CredentialsTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "FwoGZXIvYXdzEXAMPLETOKEN"

    @Test("printing, debugging and dumping never reveal the secret or the token")
    func redacted() {
        let credentials = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token)
        var dumped = ""
        dump(credentials, to: &dumped)
        let renderings = ["\(credentials)", String(describing: credentials), String(reflecting: credentials), credentials.debugDescription, dumped]
        for text in renderings {
            #expect(!text.contains(Self.secret))
            #expect(!text.contains(Self.token))
            #expect(text.contains("AKIDEXAMPLE"))
        }
        #expect(!"\(Credentials(accessKeyID: "AK", secretAccessKey: Self.secret))".contains(Self.secret))
    }

    @Test("credentials from the environment")
    func environment() throws {
        let full = try Credentials(environment: ["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "S", "AWS_SESSION_TOKEN": "T"])
        #expect(full == Credentials(accessKeyID: "AK", secretAccessKey: "S", sessionToken: "T"))
        let noToken = try Credentials(environment: ["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "S", "AWS_SESSION_TOKEN": ""])
        #expect(noToken.sessionToken == nil)
        #expect(throws: SigV4Error.invalidCredentials) { try Credentials(environment: ["AWS_ACCESS_KEY_ID": "AK"]) }
        #expect(throws: SigV4Error.invalidCredentials) { try Credentials(environment: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "S"]) }
    }

    @Test("a signer refuses credentials and scopes that would corrupt the credential scope")
    func validation() {
        #expect(throws: SigV4Error.invalidCredentials) {
            try SigV4Signer(credentials: Credentials(accessKeyID: "", secretAccessKey: "S"), region: "us-east-1")
        }
        #expect(throws: SigV4Error.invalidCredentials) {
            try SigV4Signer(credentials: Credentials(accessKeyID: "A/B", secretAccessKey: "S"), region: "us-east-1")
        }
        #expect(throws: SigV4Error.invalidCredentials) {
            try SigV4Signer(credentials: Credentials(accessKeyID: "A B", secretAccessKey: "S"), region: "us-east-1")
        }
        #expect(throws: SigV4Error.invalidCredentials) {
            try SigV4Signer(credentials: Credentials(accessKeyID: "AK", secretAccessKey: ""), region: "us-east-1")
        }
        #expect(throws: SigV4Error.invalidScope) { try SigV4Signer(credentials: Credentials(accessKeyID: "AK", secretAccessKey: "S"), region: "") }
        #expect(throws: SigV4Error.invalidScope) {
            try SigV4Signer(credentials: Credentials(accessKeyID: "AK", secretAccessKey: "S"), region: "us/east")
        }
        #expect(throws: SigV4Error.invalidScope) {
            try SigV4Signer(credentials: Credentials(accessKeyID: "AK", secretAccessKey: "S"), region: "us-east-1", service: "s 3")
        }
    }
}
