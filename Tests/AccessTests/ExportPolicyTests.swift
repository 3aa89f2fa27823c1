import Access
import Documents
import Testing

@Suite("Export policy")
struct ExportPolicyTests {
    @Test(
        "a patient's record goes to the patient, their care team and administrators; nothing else to anyone but administrators",
        arguments: [
            (Fixture.patient, EntityType.patient, Fixture.p1, ok), (Fixture.patient, .patient, Fixture.p2, no),
            (Fixture.provider, .patient, Fixture.p3, ok), (Fixture.provider, .patient, Fixture.p1, no),
            (Fixture.provider, .provider, Fixture.d1, no), (Fixture.patient, .provider, Fixture.p1, no),
            (Fixture.provider, .appointment, Fixture.a1, no), (Fixture.admin, .patient, Fixture.p2, ok),
            (Fixture.admin, .prescription, Fixture.rx1, ok),
        ]
    )
    func export(principal: Principal, entityType: EntityType, entityID: EntityID, expected: AccessDecision) {
        #expect(AccessPolicy.decideExport(entityType: entityType, entityID: entityID, principal: principal) == expected)
    }
}
