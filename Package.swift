// swift-tools-version:6.0
// cckm_exporter: a Prometheus exporter for CipherTrust Manager CCKM synchronization jobs.
// Layout follows the data flow: CCKMClient (poll) → CCKMExporter (jobs → snapshot → bytes)
// → MetricsServer (routing) → HTTPServer (libmicrohttpd). See docs/ARCHITECTURE.md.
import PackageDescription

let package = Package(
    name: "cckm_exporter",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cckm_exporter", targets: ["cckm_exporter"]),
        .executable(name: "cckm-simulator", targets: ["cckm-simulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C boundaries: header-only shims of non-variadic wrappers.
        .systemLibrary(
            name: "CMicroHTTPD", pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CCrypt", pkgConfig: "libcrypt",
            providers: [.apt(["libcrypt-dev", "libgnutls28-dev"])]),

        // What may leave the process as text: secrets scrubbed, control characters spelled out.
        .target(name: "TextSafety"),
        // Domain: jobs, RFC 3339, decoding, aggregation, snapshot, exposition. No I/O.
        .target(name: "CCKMExporter"),
        // CipherTrust Manager client: transport (libcurl), auth, paging, listings.
        .target(name: "CCKMClient", dependencies: ["CCurl", "CCKMExporter", "TextSafety"]),
        // Generic HTTP server over libmicrohttpd (used by the exporter and the simulator).
        .target(name: "HTTPServer", dependencies: ["CMicroHTTPD"]),
        // Exporter endpoints: routing, content negotiation, gzip, landing page.
        .target(
            name: "MetricsServer",
            dependencies: [
                "HTTPServer", "CCKMExporter", "CZlib", "CCrypt", "TextSafety",
                .product(name: "Yams", package: "Yams"),
            ]),
        // The fake CipherTrust Manager: real HTTP, logins, listings, jobs that progress.
        .target(name: "CCKMSimulator", dependencies: ["HTTPServer"]),
        // Configuration, pollers, logging, lifecycle: everything main wires together.
        .target(
            name: "ExporterApp",
            dependencies: [
                "CCKMExporter", "CCKMClient", "MetricsServer", "CCKMSimulator", "TextSafety",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .executableTarget(name: "cckm_exporter", dependencies: ["ExporterApp"]),
        // Performance benchmark (not run in CI): swift run -c release cckm-bench
        .executableTarget(
            name: "cckm-bench",
            dependencies: ["CCKMExporter", "CCKMClient", "CCKMSimulator", "MetricsServer", "HTTPServer"]),
        .executableTarget(
            name: "cckm-simulator",
            dependencies: [
                "CCKMSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(
            name: "CCKMExporterTests", dependencies: ["CCKMExporter"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "CCKMClientTests", dependencies: ["CCKMClient", "CCKMSimulator", "HTTPServer"]),
        .testTarget(name: "TextSafetyTests", dependencies: ["TextSafety"]),
        // Helpers shared by the test targets: raw loopback sockets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "CCKMClient", "TestSupport"]),
        .testTarget(
            name: "MetricsServerTests",
            dependencies: ["MetricsServer", "CCKMClient", "TextSafety", "TestSupport"]),
        .testTarget(name: "CCKMSimulatorTests", dependencies: ["CCKMSimulator", "CCKMClient"]),
        .testTarget(
            name: "ExporterAppTests",
            dependencies: ["ExporterApp", "CCKMSimulator", "CCKMClient", "HTTPServer", "TextSafety"],
            resources: [.copy("Fixtures")]),
    ]
)

// Swift 6 language mode everywhere; system-library targets take no Swift settings.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    target.swiftSettings = settings
}
