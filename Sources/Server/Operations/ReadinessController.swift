import Foundation
import Hummingbird
import Logging
import ObjectStorage
import Persistence

/// `GET /readyz`: whether this node can serve requests now, for load balancers and orchestrators; `/healthz`
/// stays a liveness probe that never looks past the process.
///
/// Ready means the database answers a query and the document store answers a request (a `HEAD` of a key that
/// does not exist: "not found" proves the store is reachable and the credentials accepted). Storage switched off
/// by `ENABLE_AWS_S3_STORAGE=false` is a deliberate state and does not make the node unready; production without
/// S3 settings does. Not audited and needs no credentials, like `/healthz`; the body names no key or host. A node
/// that is not ready answers 503 with the API's error envelope (code `not_ready`, `Retry-After`) and the same
/// per-part states beside it.
struct ReadinessController: Sendable {
    /// The key `HEAD` asks for; no document key has this form (they start with an entity folder).
    static let probeKey = "readyz-probe"

    let database: any DatabaseHealth
    let storage: StorageAccess

    /// `ready` or `not_ready`, with the state of each part: `ok`, `unavailable`, or for storage also
    /// `disabled` and `not_configured`.
    struct Readiness: Encodable, Sendable {
        let status: String
        let database: String
        let storage: String
    }

    /// The 503 body: the error envelope every error response has, and the states of ``Readiness`` beside it.
    struct NotReady: Encodable, Sendable {
        struct Detail: Encodable, Sendable {
            let code: String
            let message: String
            let requestId: String
        }
        let error: Detail
        let status: String
        let database: String
        let storage: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("readyz") { request, context -> Response in
            let readiness = await check(logger: context.logger)
            guard readiness.status != "ready" else {
                return try JSONResponse(readiness).response(from: request, context: context)
            }
            let body = NotReady(
                error: .init(code: "not_ready", message: Self.message(for: readiness), requestId: context.requestID),
                status: readiness.status,
                database: readiness.database,
                storage: readiness.storage
            )
            var response = try JSONResponse(body, status: .serviceUnavailable).response(from: request, context: context)
            response.headers[.retryAfter] = "5"
            return response
        }
    }

    /// What is down, for people reading the probe's answer.
    static func message(for readiness: Readiness) -> String {
        var down: [String] = []
        if readiness.database != "ok" { down.append("the database is \(readiness.database.replacingOccurrences(of: "_", with: " "))") }
        if readiness.storage != "ok" && readiness.storage != "disabled" {
            down.append("storage is \(readiness.storage.replacingOccurrences(of: "_", with: " "))")
        }
        return "Not ready: " + down.joined(separator: " and ") + "."
    }

    /// Asks the database and the store, at the same time.
    func check(logger: Logger) async -> Readiness {
        async let databaseState = databaseState()
        async let storageState = storageState(logger: logger)
        let (database, storage) = await (databaseState, storageState)
        let ready = database == "ok" && (storage == "ok" || storage == "disabled")
        return Readiness(status: ready ? "ready" : "not_ready", database: database, storage: storage)
    }

    private func databaseState() async -> String {
        do {
            try await database.checkAvailability()
            return "ok"
        } catch {
            return "unavailable"
        }
    }

    private func storageState(logger: Logger) async -> String {
        switch storage {
        case .disabled:
            return "disabled"
        case .notConfigured:
            return "not_configured"
        case .ready(let store):
            do {
                _ = try await store.head(key: Self.probeKey, logger: logger)
                return "ok"
            } catch  where error.code == "not_found" {
                return "ok"
            } catch {
                return "unavailable"
            }
        }
    }
}
