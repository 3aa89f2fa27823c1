import Testing

@testable import Persistence

@Suite("DATABASE_URL")
struct PostgresLocationTests {
    @Test("the documented form parses, with percent-decoding, defaults and each sslmode")
    func parses() throws {
        let location = try PostgresLocation(url: "postgres://med%40vault:p%3Ass%2Fw@db.internal:6543/medical%20records?sslmode=disable")
        #expect(
            location
                == PostgresLocation(
                    host: "db.internal",
                    port: 6543,
                    username: "med@vault",
                    password: "p:ss/w",
                    database: "medical records",
                    tlsMode: .disable
                )
        )
        let defaults = try PostgresLocation(url: "postgresql://db/medvault")
        #expect(defaults.port == 5432)
        #expect(defaults.username == "postgres")
        #expect(defaults.password == nil)
        #expect(defaults.tlsMode == .verifyFull)
        #expect(try PostgresLocation(url: "postgres://u@[::1]:5432/m?sslmode=require").host == "::1")
        let verified = try PostgresLocation(url: "postgres://u@db/m?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(verified.tlsMode == .verifyFull)
        #expect(verified.rootCertificatePath == "/etc/ca.pem")
    }

    @Test("malformed URLs are refused with a message that never repeats the URL")
    func refuses() {
        let secret = "hunter2"
        for url in [
            "mysql://u:\(secret)@db/m", "postgres://u:\(secret)@/m", "postgres://u:\(secret)@db", "postgres://u:\(secret)@db/a/b",
            "postgres://u:\(secret)@db/m?sslmode=prefer", "postgres://u:\(secret)@db/m?application_name=x", "not a url \(secret)",
            "postgres://u:\(secret)@db:0/m",
        ] {
            #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: url) }
            do {
                _ = try PostgresLocation(url: url)
            } catch {
                #expect(!"\(error)".contains(secret))
                #expect("\(error)".hasPrefix("DATABASE_URL "))
            }
        }
    }

    @Test("description, debugDescription and dump never show the password")
    func noPasswordInDescriptions() throws {
        let location = try PostgresLocation(url: "postgres://u:hunter2@db/m?sslmode=require")
        var dumped = ""
        dump(location, to: &dumped)
        for text in [location.description, String(reflecting: location), dumped] {
            #expect(!text.contains("hunter2"))
            #expect(text.contains("postgres://u@db:5432/m?sslmode=require"))
        }
    }
}
