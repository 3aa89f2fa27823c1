import Foundation

extension BucketConfiguration {
    /// The four Block Public Access switches ("PublicAccessBlockConfiguration", S3 API reference). medvault turns all
    /// four on: documents are only ever reached through medvault's checks or URLs it signed.
    package struct PublicAccessBlock: Sendable, Equatable {
        package var blockPublicAcls: Bool
        package var ignorePublicAcls: Bool
        package var blockPublicPolicy: Bool
        package var restrictPublicBuckets: Bool

        /// Every switch on.
        package static let allBlocked = PublicAccessBlock(
            blockPublicAcls: true,
            ignorePublicAcls: true,
            blockPublicPolicy: true,
            restrictPublicBuckets: true
        )

        /// The switches by their XML names, in the order S3 documents them.
        var switches: [(name: String, on: Bool)] {
            [
                ("BlockPublicAcls", self.blockPublicAcls), ("IgnorePublicAcls", self.ignorePublicAcls),
                ("BlockPublicPolicy", self.blockPublicPolicy), ("RestrictPublicBuckets", self.restrictPublicBuckets),
            ]
        }

        /// `BlockPublicAcls on, IgnorePublicAcls off, …`.
        package var summary: String {
            self.switches.map { "\($0.name) \($0.on ? "on" : "off")" }.joined(separator: ", ")
        }
    }

    /// The `PutPublicAccessBlock` body.
    static func publicAccessBlockBody(_ block: PublicAccessBlock) -> String {
        document("PublicAccessBlockConfiguration", block.switches.map { element($0.name, $0.on ? "true" : "false") }.joined())
    }

    /// The switches of a `GetPublicAccessBlock` answer; a switch left out is off, as S3 treats it.
    static func publicAccessBlock(_ bytes: [UInt8]) throws(S3XMLError) -> PublicAccessBlock {
        let root = try S3XMLReader.parse(bytes)
        guard root.name == "PublicAccessBlockConfiguration" else {
            throw S3XMLError(reason: "expected PublicAccessBlockConfiguration", offset: 0)
        }
        func on(_ name: String) -> Bool { root.text(of: name)?.trimmingCharacters(in: .whitespaces).lowercased() == "true" }
        return PublicAccessBlock(
            blockPublicAcls: on("BlockPublicAcls"),
            ignorePublicAcls: on("IgnorePublicAcls"),
            blockPublicPolicy: on("BlockPublicPolicy"),
            restrictPublicBuckets: on("RestrictPublicBuckets")
        )
    }
}
