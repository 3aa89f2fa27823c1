import Access
import Audit
import Documents
import Foundation
import Hummingbird
import Persistence

/// `/api/v2/users` (administrators): list accounts, create one (a generated password is returned once),
/// and disable one, which also ends its sessions. Every call is audited.
struct UsersController: Sendable {
    let database: any UserDirectory
    let audit: AuditTrail
    let hasher: PasswordHasher
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.post("disable", use: disable)
    }

    struct UserList: Encodable, Sendable {
        let users: [UserResponse]
    }

    struct CreateRequest: Decodable {
        let email: String
        let role: String
        let displayName: String?
        let patientId: String?
        let providerId: String?
        let password: String?
    }

    struct Created: Encodable, Sendable {
        let user: UserResponse
        /// Present only when the server generated the password; it is not shown again.
        let password: String?
    }

    struct DisableRequest: Decodable {
        let email: String
    }

    struct Single: Encodable, Sendable {
        let user: UserResponse
    }

    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<UserList> {
        try await audit.perform(.userList, request: request, context: context) { _ in
            try context.requireAdministrator()
            return JSONResponse(UserList(users: try await database.users().map(UserResponse.init)))
        }
    }

    @Sendable func create(request: Request, context: AppRequestContext) async throws -> JSONResponse<Created> {
        try await audit.perform(.userCreate, request: request, context: context) { recorder in
            try context.requireAdministrator()
            let body = try await JSONBody.decode(CreateRequest.self, from: request, example: #"{"email": "…", "role": "patient", "patientId": "…"}"#)
            guard let role = Role(rawValue: body.role) else { throw APIError.invalidParameter("`role` must be patient, provider or admin.") }
            let newUser: NewUser
            do throws(UserInputError) {
                newUser = try NewUser(
                    email: body.email,
                    role: role,
                    displayName: body.displayName,
                    patientID: body.patientId,
                    providerID: body.providerId,
                    password: body.password
                )
            } catch {
                throw APIError.invalidParameter(error.description)
            }
            recorder.detail = "user \(newUser.id.lowercaseText) role \(role.rawValue)"
            recorder.patientID = newUser.patientID?.rawValue
            recorder.httpStatus = 201
            let record = newUser.record(passwordHash: await hasher.hash(newUser.password), createdAt: now())
            do {
                try await recorder.commit { entry in try await database.insertUser(record, audit: entry) }
            } catch {
                if (error as? PersistenceError) == .keyConflict {
                    throw APIError(.conflict, code: "user_exists", message: "A user with this e-mail address exists.")
                }
                throw error
            }
            return JSONResponse(
                Created(user: UserResponse(record), password: newUser.passwordWasGenerated ? newUser.password : nil),
                status: .created
            )
        }
    }

    @Sendable func disable(request: Request, context: AppRequestContext) async throws -> JSONResponse<Single> {
        try await audit.perform(.userDisable, request: request, context: context) { recorder in
            try context.requireAdministrator()
            let body = try await JSONBody.decode(DisableRequest.self, from: request, example: #"{"email": "…"}"#)
            guard let target = try await database.user(email: body.email) else {
                throw APIError(.notFound, code: "not_found", message: "No user with that e-mail address.")
            }
            recorder.detail = "user \(target.id.lowercaseText)"
            let user = try await recorder.commit { entry in try await database.disableUser(email: body.email, audit: entry) }
            return JSONResponse(Single(user: UserResponse(user)))
        }
    }
}
