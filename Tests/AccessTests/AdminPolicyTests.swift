import Access
import Documents
import Foundation
import Testing

@Suite("Admin policy")
struct AdminPolicyTests {
    @Test("administrators may do everything, never flagged as break-glass", arguments: Owner.allCases)
    func everything(_ owner: Owner) {
        let row = Expectation(owner, ok, ok, ok, ok, ok, ok)
        row.check(Fixture.admin)
        row.check(Fixture.admin, reason: "audit review")
    }

    @Test(
        "only administrators may call the administration endpoints",
        arguments: [
            (Fixture.admin, ok), (Fixture.patient, adminOnly), (Fixture.provider, adminOnly),
            (Principal(userID: "u-admin", role: .provider, providerID: Fixture.d1, careTeam: [Fixture.p1, Fixture.p2, Fixture.p3]), adminOnly),
        ]
    )
    func administration(principal: Principal, expected: AccessDecision) {
        #expect(AccessPolicy.decideAdministration(principal: principal) == expected)
    }

    @Test(
        "permanent delete is administrators' only, even for a patient's own fresh upload or a provider's own folder",
        arguments: [(Fixture.patient, Owner.p1ByPatient), (Fixture.provider, .d1), (Fixture.provider, .p3ByProvider), (Fixture.patient, .temp)]
    )
    func permanentDelete(principal: Principal, owner: Owner) {
        #expect(AccessPolicy.decide(.permanentDelete, owner: owner.value, principal: principal, breakGlassReason: "x", now: Fixture.now) == adminOnly)
        #expect(AccessPolicy.decide(.permanentDelete, owner: owner.value, principal: Fixture.admin, now: Fixture.now) == ok)
    }

    @Test(
        "denials map to stable API error codes",
        arguments: [
            (AccessDenial.notPermitted, "forbidden"), (.adminOnly, "forbidden"), (.breakGlassRequired, "break_glass_required"),
            (.deleteWindowClosed, "delete_window_closed"),
        ]
    )
    func codes(denial: AccessDenial, code: String) {
        #expect(denial.code == code)
    }

    @Test("role raw values are stored and signed, so they never change")
    func roleRawValues() {
        #expect(Role.allCases.map(\.rawValue) == ["patient", "provider", "admin"])
        #expect(Role(rawValue: "Admin") == nil)
    }
}
