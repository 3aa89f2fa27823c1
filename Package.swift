// swift-tools-version: 6.2
import Foundation
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "medvault",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "medvault", targets: ["medvault"]),
        // For the pre-signing benchmark, a package of its own (bench/presign) that depends on this one by path.
        .library(name: "SigV4", targets: ["SigV4"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Pure values: categories, entity types, key layout, limits and allowed types.
        .target(name: "Documents", swiftSettings: swiftSettings),
        .systemLibrary(name: "CMagic", pkgConfig: "libmagic", providers: [.apt(["libmagic-dev"])]),
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        // Previews of images and PDF pages (libvips); no HTTP, no storage.
        .target(name: "Media", dependencies: ["Documents", "CVips"], swiftSettings: swiftSettings),
        // Content sniffing (libmagic) and the upload policy.
        .target(name: "ContentValidation", dependencies: ["Documents", "CMagic"], swiftSettings: swiftSettings),
        // UTC calendar arithmetic for hand-written timestamps (SigV4's X-Amz-Date, the API's instants); no dependencies.
        .target(name: "UTCCalendar", swiftSettings: swiftSettings),
        // AWS Signature Version 4; depends on swift-crypto and UTCCalendar only.
        .target(
            name: "SigV4",
            dependencies: ["UTCCalendar", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The ZIP archive writer (stored entries, data descriptors, ZIP64) and CRC-32; no I/O, so exports stream.
        .target(name: "Archive", dependencies: ["UTCCalendar"], swiftSettings: swiftSettings),
        // Streaming multipart/form-data parser (RFC 7578); no I/O.
        .target(name: "Multipart", dependencies: [.product(name: "NIOCore", package: "swift-nio")], swiftSettings: swiftSettings),
        // The ObjectStore protocol, the encrypted local store and the S3 store.
        .target(
            name: "ObjectStorage",
            dependencies: [
                "Documents", "SigV4",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The storage self-check (`/test/s3`, `medvault selftest`): store, serve, sign, list, encrypt, scan, clean up;
        // no HTTP server, so the command line runs it without the web layer.
        .target(
            name: "SelfCheck",
            dependencies: [
                "Documents", "ObjectStorage", "SigV4", "Scanning",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The ClamAV daemon's client (clamd's INSTREAM protocol) and the scan verdict; no HTTP.
        .target(
            name: "Scanning",
            dependencies: ["Archive", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // Append-only, hash-chained audit trail values, chain hashing and verification.
        .target(name: "Audit", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),
        // The one SQLite setting Swift cannot make (sqlite3_config is variadic).
        .target(name: "CSQLiteSettings", linkerSettings: [.linkedLibrary("sqlite3")]),
        // glibc's allocator settings for `medvault serve` (mallopt is in <malloc.h>, which Swift's Glibc leaves out).
        .target(name: "CMallocSettings"),
        // The persistence interface (document index, users, sessions, care teams, audit storage) and its two
        // engines: SQLite through GRDB (embedded, the default) and PostgreSQL through postgres-nio.
        .target(
            name: "Persistence",
            dependencies: [
                "Documents", "Audit", "Access", "CSQLiteSettings",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // ConnectionPoolError: how the pool says it gave up (PostgresNIO does not re-export it).
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Who may do what to which key: roles, principals, care teams and the one access policy.
        .target(name: "Access", dependencies: ["Documents"], swiftSettings: swiftSettings),
        // The Hummingbird application: API v2, errors, configuration.
        .target(
            name: "Server",
            dependencies: [
                "Documents", "ContentValidation", "SigV4", "Multipart", "ObjectStorage", "Audit", "Persistence", "Access",
                "UTCCalendar", "Scanning", "SelfCheck", "Archive", "Media",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                // Fetches an identity provider's JWK set (MEDVAULT_JWKS_URL) over HTTPS, with a configurable CA.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "medvault",
            dependencies: [
                "Server", "SelfCheck", "Persistence", "Audit", "SigV4", "Access", "Documents", "ContentValidation", "Archive",
                "CMallocSettings",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "DocumentsTests", dependencies: ["Documents"], swiftSettings: swiftSettings),
        .testTarget(name: "ContentValidationTests", dependencies: ["ContentValidation", "Archive"], swiftSettings: swiftSettings),
        .testTarget(name: "MediaTests", dependencies: ["Media", "Documents"], swiftSettings: swiftSettings),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive"], swiftSettings: swiftSettings),
        .testTarget(name: "UTCCalendarTests", dependencies: ["UTCCalendar"], swiftSettings: swiftSettings),
        .testTarget(name: "SigV4Tests", dependencies: ["SigV4"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MultipartTests",
            dependencies: ["Multipart", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ObjectStorageTests",
            dependencies: [
                "ObjectStorage", "SigV4",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            // Read from the source tree by path (botocore-made CloudFront cases and their test key), not bundled.
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AccessTests", dependencies: ["Access", "Documents"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ScanningTests",
            dependencies: ["Scanning", "Archive", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AuditTests",
            dependencies: ["Audit", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PersistenceTests",
            dependencies: ["Persistence", .product(name: "Crypto", package: "swift-crypto"), .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "SelfCheck", "ObjectStorage", "Persistence", "Audit", "Access", "Documents", "ContentValidation", "Scanning", "Archive",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// The product builds without Tests/: the Dockerfile's build stage copies only this manifest and Sources/, and SwiftPM
// refuses a test target whose folder is missing. (SwiftPM caches a manifest per directory: a checkout that gains or
// loses Tests/ afterwards needs one build with `--manifest-cache none`.)
if !FileManager.default.fileExists(atPath: Context.packageDirectory + "/Tests") {
    package.targets.removeAll { $0.type == .test }
}
