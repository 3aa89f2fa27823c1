/// Where an identity provider's JWK set is fetched from; ``IdentityProviderKeys`` decides when.
protocol JWKSSource: Sendable {
    /// The set's JSON text, or an error when it cannot be had now.
    func fetch() async throws -> String
}
