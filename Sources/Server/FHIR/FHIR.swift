/// The FHIR R4 general-purpose datatypes medvault writes (hl7.org/fhir/R4/datatypes.html), shared by the resources
/// it produces: the audit trail's `AuditEvent`s and an export's `DocumentReference`s. Absent elements are left out
/// of the JSON, as FHIR wants (no `null`s).
enum FHIR {
    /// A code from a code system.
    struct Coding: Encodable, Sendable {
        let system: String
        let code: String
        let display: String?
    }

    /// Codes and/or text for one concept.
    struct CodeableConcept: Encodable, Sendable {
        let coding: [Coding]?
        let text: String?
    }

    /// An identifier, in a namespace (`system`) or not.
    struct Identifier: Encodable, Sendable {
        let system: String?
        let value: String
    }

    /// A reference to another resource: literal (`Patient/{id}`) or logical (its `type` and `identifier`).
    struct Reference: Encodable, Sendable {
        let reference: String?
        let identifier: Identifier?
        let display: String?
        var type: String? = nil
    }
}
