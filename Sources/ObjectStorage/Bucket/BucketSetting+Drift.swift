extension BucketSetting {
    /// How the Get call's answer differs from `desired`, one sentence per difference; empty when it matches.
    /// `observed` is nil when the bucket has no such configuration at all (S3's `NoSuch…Configuration`).
    ///
    /// "Matches" means what `bucket setup` would write: its Put calls replace the whole sub-resource, so an extra
    /// CORS or lifecycle rule counts as drift too.
    func differences(desired: BucketConfiguration, observed: [UInt8]?) throws(S3XMLError) -> [String] {
        switch self {
        case .cors:
            guard let observed else { return ["no CORS configuration"] }
            let rules = try BucketConfiguration.corsRules(observed)
            guard rules != desired.cors else { return [] }
            let found = rules.isEmpty ? "no rule" : rules.map(\.summary).joined(separator: "; ")
            return ["found \(found); expected \(self.summary(desired))"]
        case .publicAccessBlock:
            guard let observed else { return ["no Block Public Access configuration"] }
            let block = try BucketConfiguration.publicAccessBlock(observed)
            return zip(block.switches, desired.publicAccessBlock.switches).compactMap { found, wanted in
                found.on == wanted.on ? nil : "\(found.name) is \(found.on ? "on" : "off"), expected \(wanted.on ? "on" : "off")"
            }
        case .encryption:
            guard let observed else { return ["no default encryption"] }
            let encryption = try BucketConfiguration.defaultEncryption(observed)
            return encryption == desired.encryption ? [] : ["\(encryption.summary), expected \(desired.encryption.summary)"]
        case .versioning:
            let status = try observed.flatMap(BucketConfiguration.versioningStatus)
            guard (status == "Enabled") != desired.versioningEnabled else { return [] }
            return ["status is \(status ?? "never enabled"), expected \(self.summary(desired))"]
        case .lifecycle:
            guard let observed else { return ["no lifecycle configuration"] }
            return Self.lifecycleDifferences(desired: desired.lifecycle, observed: try BucketConfiguration.lifecycleRules(observed))
        }
    }

    /// Rules are matched by `ID`: each of medvault's must be there unchanged, and no other may be.
    static func lifecycleDifferences(desired: [BucketConfiguration.LifecycleRule], observed: [BucketConfiguration.LifecycleRule]) -> [String] {
        var differences: [String] = []
        for wanted in desired {
            guard let found = observed.first(where: { $0.id == wanted.id }) else {
                differences.append("rule \(wanted.id) is missing (expected \(wanted.summary))")
                continue
            }
            if found != wanted { differences.append("rule \(wanted.id) is \(found.summary), expected \(wanted.summary)") }
        }
        for extra in observed where !desired.contains(where: { $0.id == extra.id }) {
            differences.append("unexpected rule \(extra.id.isEmpty ? "(no ID)" : extra.id): \(extra.summary)")
        }
        return differences
    }
}
