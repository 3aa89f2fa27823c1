/// One line of `bucket setup`/`bucket check`: which bucket, which setting, what happened.
package struct BucketSettingReport: Sendable, Equatable {
    package var bucket: String
    package var setting: BucketSetting
    package var outcome: BucketSettingOutcome

    /// `medvault-docs cors: ok: origin …`.
    package var line: String { "\(self.bucket) \(self.setting.rawValue): \(self.outcome.text)" }
}
