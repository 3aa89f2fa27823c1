import Testing

@testable import Scanning

@Suite struct ClamdAddressTests {
    @Test func readsUnixSockets() {
        #expect(ClamdAddress(parsing: "unix:///run/clamav/clamd.ctl") == .unix(path: "/run/clamav/clamd.ctl"))
        #expect(ClamdAddress(parsing: "unix:///tmp/a b/clamd.sock") == .unix(path: "/tmp/a b/clamd.sock"))
    }

    @Test func readsTCPAddresses() {
        #expect(ClamdAddress(parsing: "tcp://127.0.0.1:3310") == .tcp(host: "127.0.0.1", port: 3310))
        #expect(ClamdAddress(parsing: "tcp://clamd.internal:4000/") == .tcp(host: "clamd.internal", port: 4000))
        #expect(ClamdAddress(parsing: "tcp://clamd") == .tcp(host: "clamd", port: 3310))
        #expect(ClamdAddress(parsing: "tcp://[::1]:3311") == .tcp(host: "::1", port: 3311))
        #expect(ClamdAddress(parsing: "tcp://[::1]") == .tcp(host: "::1", port: 3310))
    }

    @Test(arguments: [
        "", "clamd", "/run/clamav/clamd.ctl", "unix://", "unix:///", "unix://run/clamd.ctl", "unix:///run/clamd.ctl?x=1",
        "tcp://", "tcp://:3310", "tcp://host:0", "tcp://host:65536", "tcp://host:port", "tcp://host:33 10", "tcp://user@host:3310",
        "tcp://host:3310/path", "tcp://[::1", "tcp://[::1]x", "http://127.0.0.1:3310", "TCP://127.0.0.1:3310", "tcp://host:+3310",
    ])
    func refusesAnythingElse(text: String) {
        #expect(ClamdAddress(parsing: text) == nil)
    }

    @Test func printsAsAURLAgain() {
        for text in ["unix:///run/clamav/clamd.ctl", "tcp://127.0.0.1:3310", "tcp://[::1]:3311"] {
            #expect(ClamdAddress(parsing: text)?.description == text)
        }
    }
}
