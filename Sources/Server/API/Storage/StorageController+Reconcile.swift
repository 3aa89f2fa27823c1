import Audit
import Documents
import Hummingbird

extension StorageController {
    /// The body of `GET reconcile`: the findings in key order and the counts, as `medvault reconcile --json` prints.
    struct ReconcileResponse: Encodable, Sendable {
        let findings: [ReconcileFindingJSON]
        let summary: ReconcileTally
    }

    /// `GET reconcile`: compares the index with the store, read-only, for administrators; audited `reconcile.run`
    /// with the counts.
    ///
    /// The comparison itself holds a page of each side whatever the bucket's size; the findings are collected for the
    /// answer, so its size grows with what disagrees, not with what is stored.
    @Sendable func reconcile(request: Request, context: AppRequestContext) async throws -> JSONResponse<ReconcileResponse> {
        try await audit.perform(.reconcileRun, request: request, context: context) { recorder in
            try context.requireAdministrator()
            let store = try storage.store()
            var findings: [ReconcileFindingJSON] = []
            let tally = try await Reconciliation(store: store, database: database, logger: context.logger).run { finding in
                findings.append(ReconcileFindingJSON(finding))
            }
            recorder.detail = tally.summary
            return JSONResponse(ReconcileResponse(findings: findings, summary: tally))
        }
    }
}
