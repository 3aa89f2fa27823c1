import Audit
import Foundation
import Hummingbird
import NIOCore
import Persistence

/// The audit trail for compliance officers, administrators only:
/// `GET /api/v2/audit` pages through the trail with filters; `GET /api/v2/audit/export` streams every
/// matching row as JSON Lines or as a FHIR R4 Bundle of AuditEvent resources. Reading the trail is audited too.
struct AuditController: Sendable {
    let database: any AuditLog
    let audit: AuditTrail
    let now: @Sendable () -> Date

    /// Rows fetched per database read while exporting.
    static let exportPageSize = 500

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: query)
        group.get("export", use: export)
    }

    /// One page of `GET /api/v2/audit`.
    struct Page: Encodable, Sendable {
        let events: [AuditEventResponse]
        let nextCursor: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(events, forKey: .events)
            try container.encode(nextCursor, forKey: .nextCursor)
        }

        private enum CodingKeys: String, CodingKey {
            case events, nextCursor
        }
    }

    @Sendable func query(request: Request, context: AppRequestContext) async throws -> JSONResponse<Page> {
        try await audit.perform(.auditQuery, request: request, context: context) { recorder in
            try context.requireAdministrator()
            let query = try Self.auditQuery(QueryParameters(query: request.uri.query))
            recorder.detail = request.uri.query.map { "filters: \($0.prefix(300))" }
            let page = try await database.auditEvents(matching: query)
            return JSONResponse(Page(events: page.records.map(AuditEventResponse.init), nextCursor: page.nextAfterSequence.map(String.init)))
        }
    }

    @Sendable func export(request: Request, context: AppRequestContext) async throws -> Response {
        try await audit.perform(.auditExport, request: request, context: context) { recorder in
            try context.requireAdministrator()
            let parameters = QueryParameters(query: request.uri.query)
            var filters = try Self.auditQuery(parameters)
            filters.limit = Self.exportPageSize
            let format = parameters.get("format") ?? "jsonl"
            guard ["jsonl", "fhir"].contains(format) else { throw APIError.invalidParameter("`format` must be jsonl or fhir.") }
            recorder.detail = "format=\(format)"
            let database = database
            let startedAt = now()
            let firstPage = filters
            let body = ResponseBody { writer in
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                if format == "fhir" { try await writer.write(ByteBuffer(string: FHIRBundle.opening(timestamp: startedAt))) }
                var first = true
                var query = firstPage
                while true {
                    let page = try await database.auditEvents(matching: query)
                    var buffer = ByteBuffer()
                    for record in page.records {
                        if format == "fhir" {
                            if !first { buffer.writeString(",") }
                            buffer.writeString(#"{"resource":"#)
                            buffer.writeBytes(try encoder.encode(FHIRAuditEvent(record)))
                            buffer.writeString("}")
                        } else {
                            buffer.writeBytes(try encoder.encode(AuditEventResponse(record)))
                            buffer.writeString("\n")
                        }
                        first = false
                    }
                    try await writer.write(buffer)
                    guard let next = page.nextAfterSequence else { break }
                    query.afterSequence = next
                }
                if format == "fhir" { try await writer.write(ByteBuffer(string: FHIRBundle.closing)) }
                try await writer.finish(nil)
            }
            let contentType = format == "fhir" ? "application/fhir+json" : "application/x-ndjson"
            return Response(
                status: .ok,
                headers: [
                    .contentType: contentType,
                    .cacheControl: "no-store",
                    .contentDisposition: "attachment; filename=\"medvault-audit.\(format == "fhir" ? "json" : "jsonl")\"",
                ],
                body: body
            )
        }
    }

    /// Parses the filters shared by both endpoints.
    static func auditQuery(_ parameters: QueryParameters) throws -> AuditQuery {
        var query = AuditQuery()
        query.actorID = parameters.get("actor")
        query.patientID = parameters.get("patient")
        query.documentKey = parameters.get("key")
        if let text = parameters.get("action") {
            guard let action = AuditAction(rawValue: text) else { throw APIError.invalidParameter("Unknown `action`.") }
            query.action = action
        }
        if let text = parameters.get("outcome") {
            guard let outcome = AuditOutcome(rawValue: text) else {
                throw APIError.invalidParameter("`outcome` must be success, rejected, denied or failed.")
            }
            query.outcome = outcome
        }
        if let code = parameters.get("code") {
            // Error codes are lowercase words joined by underscores (`malware_detected`); anything else matches nothing.
            guard (1...64).contains(code.utf8.count), code.utf8.allSatisfy({ (0x61...0x7A).contains($0) || $0 == 0x5F }) else {
                throw APIError.invalidParameter("`code` must be an error code such as malware_detected.")
            }
            query.errorCode = code
        }
        query.from = try parameters.get("from").map(date(named: "from"))
        query.to = try parameters.get("to").map(date(named: "to"))
        if let text = parameters.get("breakGlass") {
            guard let value = Bool(text) else { throw APIError.invalidParameter("`breakGlass` must be true or false.") }
            query.breakGlass = value
        }
        if let text = parameters.get("cursor") {
            guard (1...18).contains(text.utf8.count), text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                let value = Int64(text)
            else { throw APIError.invalidParameter("`cursor` is not valid.") }
            query.afterSequence = value
        }
        if let text = parameters.get("limit") {
            guard let value = Int(text), (1...AuditQuery.maximumLimit).contains(value) else {
                throw APIError.invalidParameter("`limit` must be a whole number from 1 to \(AuditQuery.maximumLimit).")
            }
            query.limit = value
        }
        return query
    }

    private static func date(named name: String) -> (String) throws -> Date {
        { text in
            guard let date = AuditTimestamp.parse(text) else {
                throw APIError.invalidParameter("`\(name)` must be an RFC 3339 date-time, such as 2025-06-01T00:00:00Z.")
            }
            return date
        }
    }
}
