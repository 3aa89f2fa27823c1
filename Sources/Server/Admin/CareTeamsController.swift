import Access
import Audit
import Documents
import Foundation
import Hummingbird
import Persistence

/// `/api/v2/careteams` (administrators): which providers may see which patients' documents.
/// Providers are named by e-mail; changes take effect on the provider's next request, and are audited.
struct CareTeamsController: Sendable {
    let database: any CareTeams & UserDirectory
    let audit: AuditTrail
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: list)
        group.post(use: add)
        group.delete(use: remove)
    }

    struct Member: Encodable, Sendable {
        let providerId: String
        let providerEmail: String
        let patientId: String
        let addedAt: String
    }

    struct Members: Encodable, Sendable {
        let members: [Member]
    }

    struct Change: Decodable {
        let provider: String
        let patientId: String
    }

    struct Changed: Encodable, Sendable {
        let provider: String
        let patientId: String
        let changed: Bool
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<Members> {
        try await audit.perform(.careTeamList, request: request, context: context) { _ in
            try context.requireAdministrator()
            let members = try await database.careTeamMembers().map {
                Member(
                    providerId: $0.providerUserID.lowercaseText,
                    providerEmail: $0.providerEmail,
                    patientId: $0.patientID,
                    addedAt: MillisecondTimestamp.string($0.addedAt)
                )
            }
            return JSONResponse(Members(members: members))
        }
    }

    @Sendable func add(request: Request, context: AppRequestContext) async throws -> JSONResponse<Changed> {
        try await change(.careTeamAdd, request: request, context: context)
    }

    @Sendable func remove(request: Request, context: AppRequestContext) async throws -> JSONResponse<Changed> {
        try await change(.careTeamRemove, request: request, context: context)
    }

    private func change(_ action: AuditAction, request: Request, context: AppRequestContext) async throws -> JSONResponse<Changed> {
        try await audit.perform(action, request: request, context: context) { recorder in
            let admin = try context.requireAdministrator()
            let body = try await JSONBody.decode(Change.self, from: request, example: #"{"provider": "dr@example.org", "patientId": "…"}"#)
            guard let patient = try? EntityID(validating: body.patientId) else {
                throw APIError.invalidParameter("`patientId` must be 1 to 64 characters from A-Z, a-z, 0-9, _ and -.")
            }
            guard let provider = try await database.user(email: body.provider), provider.role == .provider else {
                throw APIError(.notFound, code: "not_found", message: "No provider with that e-mail address.")
            }
            recorder.patientID = patient.rawValue
            recorder.detail = "provider \(provider.id.lowercaseText)"
            let adding = action == .careTeamAdd
            recorder.httpStatus = adding ? 201 : 200
            let changed = try await recorder.commit { entry in
                adding
                    ? try await database.addCareTeamMember(
                        providerUserID: provider.id,
                        patientID: patient.rawValue,
                        at: now(),
                        addedBy: admin.userID,
                        audit: entry
                    )
                    : try await database.removeCareTeamMember(providerUserID: provider.id, patientID: patient.rawValue, audit: entry)
            }
            return JSONResponse(Changed(provider: provider.email, patientId: patient.rawValue, changed: changed), status: adding ? .created : .ok)
        }
    }
}
