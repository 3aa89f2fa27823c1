import Access
import Audit
import Foundation
import Testing

@testable import Persistence

@Suite("Care teams")
struct CareTeamTests {
    @Test("adding is idempotent but always audited; the team lists patient ids sorted", arguments: TestEngine.all)
    func addIsIdempotent(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let provider = try await database.insertUser(Fixtures.user("dr@x.org", .provider), audit: Fixtures.audit(.userCreate))
            let first = Date(millisecondsSince1970: Fixtures.baseMilliseconds + 1)
            #expect(try await database.careTeam(providerUserID: provider.id) == [])
            for patientID in ["p2", "p1", "p3"] {
                #expect(
                    try await database.addCareTeamMember(
                        providerUserID: provider.id,
                        patientID: patientID,
                        at: first,
                        addedBy: "admin-1",
                        audit: Fixtures.audit(.careTeamAdd)
                    )
                )
            }
            let again = try await database.addCareTeamMember(
                providerUserID: provider.id,
                patientID: "p1",
                at: first.addingTimeInterval(60),
                addedBy: "admin-2",
                audit: Fixtures.audit(.careTeamAdd)
            )
            #expect(!again)
            #expect(try await database.careTeam(providerUserID: provider.id) == ["p1", "p2", "p3"])
            let p1 = try await database.careTeamMembers().first { $0.patientID == "p1" }
            #expect(p1 == CareTeamMember(providerUserID: provider.id, providerEmail: "dr@x.org", patientID: "p1", addedAt: first, addedBy: "admin-1"))
            let actions = try await database.auditEvents(after: nil, limit: 10).map(\.entry.action)
            #expect(actions == [.userCreate] + Array(repeating: .careTeamAdd, count: 4))
        }
    }

    @Test("removing says whether the pair existed, and is audited either way", arguments: TestEngine.all)
    func remove(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let provider = try await database.insertUser(Fixtures.user("dr@x.org", .provider), audit: Fixtures.audit(.userCreate))
            try await database.addCareTeamMember(
                providerUserID: provider.id,
                patientID: "p1",
                at: Date(),
                addedBy: nil,
                audit: Fixtures.audit(.careTeamAdd)
            )
            #expect(try await database.removeCareTeamMember(providerUserID: provider.id, patientID: "p1", audit: Fixtures.audit(.careTeamRemove)))
            #expect(
                try await database.removeCareTeamMember(providerUserID: provider.id, patientID: "p1", audit: Fixtures.audit(.careTeamRemove)) == false
            )
            #expect(try await database.careTeam(providerUserID: provider.id) == [])
            let actions = try await database.auditEvents(after: nil, limit: 10).map(\.entry.action)
            #expect(actions == [.userCreate, .careTeamAdd, .careTeamRemove, .careTeamRemove])
        }
    }

    @Test("all members list with the provider's email, by email then patient; teams are per provider", arguments: TestEngine.all)
    func allMembers(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let (zed, amy) = try await Self.twoProviders(in: database, zedPatients: ["p1"], amyPatients: ["p9", "p1"])
            let members = try await database.careTeamMembers()
            #expect(members.map(\.providerEmail) == ["amy@x.org", "amy@x.org", "zed@x.org"])
            #expect(members.map(\.patientID) == ["p1", "p9", "p1"])
            #expect(members.map(\.providerUserID) == [amy.id, amy.id, zed.id])
            #expect(try await database.careTeam(providerUserID: zed.id) == ["p1"])
        }
    }

    @Test("only an existing provider can join a care team; a refused add writes no audit row", arguments: TestEngine.all)
    func onlyProviders(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let patient = try await database.insertUser(Fixtures.user("pat@x.org", .patient), audit: Fixtures.audit())
            let admin = try await database.insertUser(Fixtures.user("adm@x.org", .admin), audit: Fixtures.audit())
            for user in [patient, admin] {
                await #expect(throws: PersistenceError.constraintViolation) {
                    try await database.addCareTeamMember(providerUserID: user.id, patientID: "p1", at: Date(), addedBy: nil, audit: Fixtures.audit())
                }
            }
            await #expect(throws: PersistenceError.notFound) {
                try await database.addCareTeamMember(providerUserID: UUID(), patientID: "p1", at: Date(), addedBy: nil, audit: Fixtures.audit())
            }
            #expect(try await database.careTeamMembers().isEmpty)
            #expect(try await database.auditEvents(after: nil, limit: 10).count == 2)
        }
    }

    @Test("a patient's care providers are the provider ids of the providers with them on their care team", arguments: TestEngine.all)
    func careProviders(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            _ = try await Self.twoProviders(in: database, zedPatients: ["p1"], amyPatients: ["p1", "p2"])
            #expect(try await database.careProviders(patientID: "p1") == ["dr-a", "dr-z"])
            #expect(try await database.careProviders(patientID: "p2") == ["dr-a"])
            #expect(try await database.careProviders(patientID: "p3") == [])
        }
    }

    /// Two providers, zed (provider id `dr-z`) and amy (`dr-a`), with these patients added to their care teams in order.
    private static func twoProviders(
        in database: any AppDatabase,
        zedPatients: [String],
        amyPatients: [String]
    ) async throws -> (zed: UserRecord, amy: UserRecord) {
        let zed = try await database.insertUser(Fixtures.user("zed@x.org", .provider, entityID: "dr-z"), audit: Fixtures.audit())
        let amy = try await database.insertUser(Fixtures.user("amy@x.org", .provider, entityID: "dr-a"), audit: Fixtures.audit())
        for (provider, patientID) in zedPatients.map({ (zed, $0) }) + amyPatients.map({ (amy, $0) }) {
            try await database.addCareTeamMember(providerUserID: provider.id, patientID: patientID, at: Date(), addedBy: nil, audit: Fixtures.audit())
        }
        return (zed, amy)
    }
}
