import Access
import Documents
import Foundation
import Testing

/// The cast of every Access test: patient P1, provider D1 caring for P3, an administrator, and the documents
/// they meet. P2 is a patient nobody here cares for; D2 another provider, caring for P1; `u-other` a user nobody
/// here is. Appointment A1 is between P1 and D1; A2 between P3 and D2 (so D1 is on its patient's care team, but
/// no participant).
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let hourAgo = now.addingTimeInterval(-3600)
    static let uuid = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"

    static let patientUser = "u-patient"
    static let providerUser = "u-provider"
    static let otherUser = "u-other"

    static let p1 = entityID("P1")
    static let p2 = entityID("P2")
    static let p3 = entityID("P3")
    static let d1 = entityID("D1")
    static let d2 = entityID("D2")
    static let a1 = entityID("A1")
    static let a2 = entityID("A2")
    static let rx1 = entityID("RX1")

    /// A patient: P1, on D2's care team, in appointment A1.
    static let patient = Principal(userID: patientUser, role: .patient, patientID: p1, careProviders: [d2], appointments: [a1])
    /// A provider: own folder D1, care team {P3}, holding appointment A1.
    static let provider = Principal(userID: providerUser, role: .provider, providerID: d1, careTeam: [p3], appointments: [a1])
    static let admin = Principal(userID: "u-admin", role: .admin)

    static let allActions: [DocumentAction] = [.upload, .read, .list, .archive, .permanentDelete, .revoke]

    /// Fails the test run loudly on a typo in a fixture id rather than hiding it behind `try!`.
    static func entityID(_ raw: String) -> EntityID {
        do { return try EntityID(validating: raw) } catch { fatalError("fixture entity id \(raw) is invalid: \(error)") }
    }

    /// The owner of a parsed key; keys in fixtures must parse.
    static func owner(ofKey raw: String) throws -> DocumentOwner? {
        DocumentOwner(key: try DocumentKey(parsing: raw))
    }
}

/// The documents the decision tables are about, each a stored row (uploader and time known) unless it says otherwise.
enum Owner: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case p1ByPatient, p1ByProvider, p2ByPatient, p3ByProvider
    case d1, d2
    case appointmentByPatient, appointmentByProvider, appointmentByOther, appointmentFromKey
    case prescriptionByProvider, prescriptionByOther
    case retiredP1, retiredP3, retiredD1
    case temp
    case d1TherapyMedia, d2TherapyMedia, d1Profile, d2Profile, p1Profile, p1Verification, p3Verification
    case a1ChatByProvider, a1ChatByPatient, a2ChatByProvider, retiredA1Chat

    var value: DocumentOwner? {
        let uploaded = Fixture.hourAgo
        func media(_ type: EntityType, _ id: EntityID, _ category: FileCategory, by user: String, retired: Bool = false) -> DocumentOwner {
            DocumentOwner(entityType: type, entityID: id, uploadedBy: user, uploadedAt: uploaded, isRetired: retired, folder: category.folder)
        }
        switch self {
        case .p1ByPatient: return DocumentOwner(entityType: .patient, entityID: Fixture.p1, uploadedBy: Fixture.patientUser, uploadedAt: uploaded)
        case .p1ByProvider: return DocumentOwner(entityType: .patient, entityID: Fixture.p1, uploadedBy: Fixture.providerUser, uploadedAt: uploaded)
        case .p2ByPatient: return DocumentOwner(entityType: .patient, entityID: Fixture.p2, uploadedBy: Fixture.patientUser, uploadedAt: uploaded)
        case .p3ByProvider: return DocumentOwner(entityType: .patient, entityID: Fixture.p3, uploadedBy: Fixture.providerUser, uploadedAt: uploaded)
        case .d1: return DocumentOwner(entityType: .provider, entityID: Fixture.d1, uploadedBy: Fixture.providerUser, uploadedAt: uploaded)
        case .d2: return DocumentOwner(entityType: .provider, entityID: Fixture.d2, uploadedBy: Fixture.providerUser, uploadedAt: uploaded)
        case .appointmentByPatient:
            return DocumentOwner(entityType: .appointment, entityID: Fixture.a1, uploadedBy: Fixture.patientUser, uploadedAt: uploaded)
        case .appointmentByProvider:
            return DocumentOwner(entityType: .appointment, entityID: Fixture.a1, uploadedBy: Fixture.providerUser, uploadedAt: uploaded)
        case .appointmentByOther:
            return DocumentOwner(entityType: .appointment, entityID: Fixture.a1, uploadedBy: Fixture.otherUser, uploadedAt: uploaded)
        case .appointmentFromKey: return DocumentOwner(entityType: .appointment, entityID: Fixture.a1)
        case .prescriptionByProvider:
            return DocumentOwner(entityType: .prescription, entityID: Fixture.rx1, uploadedBy: Fixture.providerUser, uploadedAt: uploaded)
        case .prescriptionByOther:
            return DocumentOwner(entityType: .prescription, entityID: Fixture.rx1, uploadedBy: Fixture.otherUser, uploadedAt: uploaded)
        case .retiredP1:
            return DocumentOwner(entityType: .patient, entityID: Fixture.p1, uploadedBy: Fixture.patientUser, uploadedAt: uploaded, isRetired: true)
        case .retiredP3:
            return DocumentOwner(entityType: .patient, entityID: Fixture.p3, uploadedBy: Fixture.providerUser, uploadedAt: uploaded, isRetired: true)
        case .retiredD1:
            return DocumentOwner(entityType: .provider, entityID: Fixture.d1, uploadedBy: Fixture.providerUser, uploadedAt: uploaded, isRetired: true)
        case .temp: return nil
        case .d1TherapyMedia: return media(.provider, Fixture.d1, .therapyMedia, by: Fixture.providerUser)
        case .d2TherapyMedia: return media(.provider, Fixture.d2, .therapyMedia, by: Fixture.otherUser)
        case .d1Profile: return media(.provider, Fixture.d1, .profilePhoto, by: Fixture.providerUser)
        case .d2Profile: return media(.provider, Fixture.d2, .profilePhoto, by: Fixture.otherUser)
        case .p1Profile: return media(.patient, Fixture.p1, .profilePhoto, by: Fixture.patientUser)
        case .p1Verification: return media(.patient, Fixture.p1, .verificationPhoto, by: Fixture.patientUser)
        case .p3Verification: return media(.patient, Fixture.p3, .verificationPhoto, by: Fixture.otherUser)
        case .a1ChatByProvider: return media(.appointment, Fixture.a1, .chatImage, by: Fixture.providerUser)
        case .a1ChatByPatient: return media(.appointment, Fixture.a1, .chatImage, by: Fixture.patientUser)
        case .a2ChatByProvider: return media(.appointment, Fixture.a2, .chatImage, by: Fixture.providerUser)
        case .retiredA1Chat: return media(.appointment, Fixture.a1, .chatImage, by: Fixture.providerUser, retired: true)
        }
    }

    var testDescription: String { rawValue }
}

/// One row of a decision table: the expected decision for each action on one owner's document.
struct Expectation: Sendable, CustomTestStringConvertible {
    let owner: Owner
    let upload: AccessDecision
    let read: AccessDecision
    let list: AccessDecision
    let archive: AccessDecision
    let permanentDelete: AccessDecision
    let revoke: AccessDecision

    init(
        _ owner: Owner,
        _ upload: AccessDecision,
        _ read: AccessDecision,
        _ list: AccessDecision,
        _ archive: AccessDecision,
        _ permanentDelete: AccessDecision,
        _ revoke: AccessDecision
    ) {
        self.owner = owner
        self.upload = upload
        self.read = read
        self.list = list
        self.archive = archive
        self.permanentDelete = permanentDelete
        self.revoke = revoke
    }

    /// Exhaustive, so a new action does not compile until every table says what it expects.
    func decision(for action: DocumentAction) -> AccessDecision {
        switch action {
        case .upload: upload
        case .read: read
        case .list: list
        case .archive: archive
        case .permanentDelete: permanentDelete
        case .revoke: revoke
        }
    }

    var testDescription: String { owner.rawValue }

    /// Checks `principal` against this row for every action.
    func check(_ principal: Principal, reason: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        for action in Fixture.allActions {
            let decision = AccessPolicy.decide(action, owner: owner.value, principal: principal, breakGlassReason: reason, now: Fixture.now)
            #expect(
                decision == self.decision(for: action),
                "\(owner.rawValue) \(action) reason: \(reason.debugDescription)",
                sourceLocation: sourceLocation
            )
        }
    }
}

/// Short names so decision tables read as tables.
let ok = AccessDecision.allowed
let glass = AccessDecision.allowedByBreakGlass
let no = AccessDecision.denied(.notPermitted)
let adminOnly = AccessDecision.denied(.adminOnly)
let needsGlass = AccessDecision.denied(.breakGlassRequired)
let closed = AccessDecision.denied(.deleteWindowClosed)
