/// Whether the database answers now, for readiness probes.
package protocol DatabaseHealth: Sendable {
    /// Succeeds when the database answers a trivial query; throws ``PersistenceError/unavailable`` when a server
    /// engine cannot be reached (within its connection timeout), another ``PersistenceError`` otherwise.
    func checkAvailability() async throws(PersistenceError)
}
