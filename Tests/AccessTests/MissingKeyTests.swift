import Access
import Documents
import Foundation
import Testing

/// Keys with no document behind them are judged as if the caller had just uploaded one there: the caller is
/// refused only where even their own fresh upload would be out of reach, and break-glass never opens more
/// than reads.
@Suite("Missing keys")
struct MissingKeyTests {
    static func decide(_ action: DocumentAction, key: String, as principal: Principal, reason: String? = nil) throws -> AccessDecision {
        let owner = try Fixture.owner(ofKey: key)?.uploaded(by: principal, at: Fixture.now)
        return AccessPolicy.decide(action, owner: owner, principal: principal, breakGlassReason: reason, now: Fixture.now)
    }

    static let p1Key = "patients/P1/forms/\(Fixture.uuid)-a.pdf"
    static let p2Key = "patients/P2/forms/\(Fixture.uuid)-a.pdf"
    static let p3Key = "patients/P3/forms/\(Fixture.uuid)-a.pdf"

    @Test("a patient may read and archive their own missing key, so they learn it is missing")
    func patientOwnKey() throws {
        #expect(try Self.decide(.read, key: Self.p1Key, as: Fixture.patient) == .allowed)
        #expect(try Self.decide(.archive, key: Self.p1Key, as: Fixture.patient) == .allowed)
    }

    @Test("another patient's missing key is refused to a patient, whatever the action")
    func patientOtherKey() throws {
        for action in [DocumentAction.read, .archive] {
            #expect(try Self.decide(action, key: Self.p2Key, as: Fixture.patient) == .denied(.notPermitted))
        }
    }

    @Test("outside the care team a provider is offered break-glass for reads only")
    func providerOutsideCareTeam() throws {
        #expect(try Self.decide(.read, key: Self.p2Key, as: Fixture.provider) == .denied(.breakGlassRequired))
        #expect(try Self.decide(.read, key: Self.p2Key, as: Fixture.provider, reason: "ER") == .allowedByBreakGlass)
        #expect(try Self.decide(.archive, key: Self.p2Key, as: Fixture.provider) == .denied(.notPermitted))
        #expect(try Self.decide(.archive, key: Self.p2Key, as: Fixture.provider, reason: "ER") == .denied(.notPermitted))
    }

    @Test("inside the care team a provider may read and archive a missing key")
    func providerCareTeam() throws {
        #expect(try Self.decide(.read, key: Self.p3Key, as: Fixture.provider) == .allowed)
        #expect(try Self.decide(.archive, key: Self.p3Key, as: Fixture.provider) == .allowed)
    }

    @Test("permanent delete stays with administrators, and archived keys stay retired")
    func adminOnly() throws {
        #expect(try Self.decide(.permanentDelete, key: Self.p1Key, as: Fixture.patient) == .denied(.adminOnly))
        #expect(try Self.decide(.read, key: "archived/\(Self.p3Key)", as: Fixture.provider) == .denied(.notPermitted))
        #expect(try Self.decide(.permanentDelete, key: Self.p2Key, as: Fixture.admin) == .allowed)
    }
}
