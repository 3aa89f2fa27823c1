import Audit
import Foundation

/// An audit row as a FHIR R4 `AuditEvent` resource, so the trail can be loaded into an EHR or a SIEM that
/// speaks FHIR. Mapping:
///
/// - `type`: DICOM audit event codes (DCM 110110 Patient Record for document operations, 110114 User
///   Authentication for sign-in and sign-out, 110100 Application Activity otherwise); `subtype` carries
///   medvault's own action code.
/// - `action`: C/R/U/D/E from the action; `outcome`: 0 success, 4 minor failure (rejected or denied),
///   8 serious failure; `outcomeDesc`: the error code.
/// - `agent`: the actor (`who.identifier`), their role, the client address; break-glass access adds the
///   purpose of use `BTG` (HL7 v3 ActReason) with the reason.
/// - `entity`: the document (id and key) and the patient (`Patient/{id}` reference).
struct FHIRAuditEvent: Encodable, Sendable {
    let resourceType = "AuditEvent"
    let id: String
    let type: Coding
    let subtype: [Coding]
    let action: String
    let recorded: String
    let outcome: String
    let outcomeDesc: String?
    let agent: [Agent]
    let source: Source
    let entity: [Entity]

    typealias Coding = FHIR.Coding
    typealias CodeableConcept = FHIR.CodeableConcept
    typealias Identifier = FHIR.Identifier
    typealias Reference = FHIR.Reference

    struct Network: Encodable, Sendable {
        let address: String
        let type = "2"
    }

    struct Agent: Encodable, Sendable {
        let type: CodeableConcept?
        let role: [CodeableConcept]?
        let who: Reference?
        let requestor: Bool
        let network: Network?
        let purposeOfUse: [CodeableConcept]?
    }

    struct Source: Encodable, Sendable {
        let observer: Reference
        let type: [Coding]
    }

    struct Detail: Encodable, Sendable {
        let type: String
        let valueString: String
    }

    struct Entity: Encodable, Sendable {
        let what: Reference
        let type: Coding
        let detail: [Detail]?
    }

    init(_ record: AuditRecord) {
        let entry = record.entry
        id = "medvault-audit-\(record.sequence)"
        type = Self.eventType(entry.action)
        subtype = [Coding(system: "urn:medvault:audit-action", code: entry.action.rawValue, display: nil)]
        action = Self.actionCode(entry.action)
        recorded = MillisecondTimestamp.string(entry.occurredAt)
        outcome =
            switch entry.outcome {
            case .success: "0"
            case .rejected, .denied: "4"
            case .failed: "8"
            }
        outcomeDesc = entry.errorCode ?? (entry.outcome == .success ? nil : entry.outcome.rawValue)
        agent = [
            Agent(
                type: nil,
                role: entry.actorRole.map { [CodeableConcept(coding: nil, text: $0)] },
                who: Reference(
                    reference: nil,
                    identifier: Identifier(system: "urn:medvault:user", value: entry.actorID ?? "anonymous"),
                    display: nil
                ),
                requestor: true,
                network: entry.clientAddress.map { Network(address: $0) },
                purposeOfUse: entry.breakGlass
                    ? [
                        CodeableConcept(
                            coding: [Coding(system: "http://terminology.hl7.org/CodeSystem/v3-ActReason", code: "BTG", display: "break the glass")],
                            text: entry.reason
                        )
                    ]
                    : nil
            )
        ]
        source = Source(
            observer: Reference(reference: nil, identifier: nil, display: "medvault"),
            type: [Coding(system: "http://terminology.hl7.org/CodeSystem/security-source-type", code: "4", display: "Application Server")]
        )
        var entities: [Entity] = []
        if entry.documentID != nil || entry.documentKey != nil {
            entities.append(
                Entity(
                    what: Reference(
                        reference: nil,
                        identifier: Identifier(system: "urn:medvault:document", value: entry.documentID ?? entry.documentKey ?? ""),
                        display: nil
                    ),
                    type: Coding(system: "http://terminology.hl7.org/CodeSystem/audit-entity-type", code: "2", display: "System Object"),
                    detail: entry.documentKey.map { [Detail(type: "key", valueString: $0)] }
                )
            )
        }
        if let patient = entry.patientID {
            entities.append(
                Entity(
                    what: Reference(reference: "Patient/\(patient)", identifier: nil, display: nil),
                    type: Coding(system: "http://terminology.hl7.org/CodeSystem/audit-entity-type", code: "1", display: "Person"),
                    detail: nil
                )
            )
        }
        entities.append(
            Entity(
                what: Reference(reference: nil, identifier: Identifier(system: "urn:medvault:request", value: entry.requestID), display: nil),
                type: Coding(system: "http://terminology.hl7.org/CodeSystem/audit-entity-type", code: "4", display: "Other"),
                detail: [Detail(type: "hash", valueString: record.hash)]
            )
        )
        entity = entities
    }

    private static func eventType(_ action: AuditAction) -> Coding {
        let dicom = "http://dicom.nema.org/resources/ontology/DCM"
        switch action.rawValue.split(separator: ".").first {
        case "document": return Coding(system: dicom, code: "110110", display: "Patient Record")
        case "auth": return Coding(system: dicom, code: "110114", display: "User Authentication")
        default: return Coding(system: dicom, code: "110100", display: "Application Activity")
        }
    }

    private static func actionCode(_ action: AuditAction) -> String {
        switch action {
        case .documentUpload, .userCreate, .careTeamAdd, .appointmentAdd, .authTokenIssue, .uploadCreate, .uploadComplete: "C"
        case .uploadAbort: "D"
        case .documentArchive, .userDisable, .userPasswordSet: "U"
        case .documentDelete, .careTeamRemove: "D"
        case .authSignIn, .authSignOut, .authLockout, .authSessionExpired, .storageSelftest, .reconcileRun: "E"
        default: "R"
        }
    }
}

/// The opening and closing of the FHIR `Bundle` (type `collection`) that the export streams its events in.
enum FHIRBundle {
    static func opening(timestamp: Date) -> String {
        #"{"resourceType":"Bundle","type":"collection","timestamp":"\#(MillisecondTimestamp.string(timestamp))","entry":["#
    }

    static let closing = "]}"
}
