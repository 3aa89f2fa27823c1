// swift-tools-version: 6.2
import PackageDescription

// The pre-signing benchmark (run.sh builds and runs it): medvault's `SigV4Signer.presign` against the HMAC floor.
// A package of its own, so that medvault's manifest, its build and its image know nothing of benchmarks; it signs
// with the `SigV4` library the root package vends, through its `public` pre-signing entry points.
let package = Package(
    name: "PresignBenchmark",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named, so the product is found whatever the checkout's folder is called.
        .package(name: "medvault", path: "../.."),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .executableTarget(
            name: "PresignBenchmark",
            dependencies: [.product(name: "SigV4", package: "medvault"), .product(name: "Crypto", package: "swift-crypto")],
            path: "Swift"
        )
    ]
)
