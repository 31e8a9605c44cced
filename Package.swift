// swift-tools-version:6.0
// cckm_exporter: a Prometheus exporter for CipherTrust Manager CCKM synchronization jobs.
// Layout follows the data flow: CCKMClient (CM over HTTP, CMWire decoding) → Polling (publishes
// snapshots, no HTTP) → JobMetrics (jobs → snapshot) → MetricsExposition (snapshot → bytes)
// → MetricsServer (routes, scrape cache) behind WebToolkit (web config, TLS, auth) → HTTPServer
// (libmicrohttpd). See docs/ARCHITECTURE.md.
import PackageDescription

// The targets Benchmarks/ imports (cckm-bench, a package of its own so that this package's
// build leaves it out): one library product each.
let benchmarkedTargets = [
    "CMWire", "JobMetrics", "MetricsExposition", "CCKMClient", "CCKMSimulator", "MetricsServer",
    "StatusPages",
    "HTTPServer",
    "Polling",
]

let package = Package(
    name: "cckm_exporter",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cckm_exporter", targets: ["cckm_exporter"]),
        .executable(name: "cckm-simulator", targets: ["cckm-simulator"]),
    ] + benchmarkedTargets.map { .library(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The system libraries: module maps only, for pkg-config (and the apt package to
        // install). SwiftPM hands a system library's pkg-config cflags to the C targets that
        // depend on it and its libs to the link, so no path or -l is repeated here (a module
        // map's `link` would apply only where Swift imports it, and nothing does).
        .systemLibrary(
            name: "LibMicroHTTPD", pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(
            name: "LibCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "LibZ", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "LibCrypt", pkgConfig: "libcrypt",
            providers: [.apt(["libcrypt-dev"])]),
        .systemLibrary(
            name: "LibGnuTLS", pkgConfig: "gnutls",
            providers: [.apt(["libgnutls28-dev"])]),
        .systemLibrary(
            name: "LibCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        // C boundaries: non-variadic wrappers Swift can call, declared in include/<name>.h,
        // their logic in .c files (a system-library target cannot compile C; these can).
        .target(name: "CMicroHTTPD", dependencies: ["LibMicroHTTPD", "LibGnuTLS"]),
        .target(name: "CCurl", dependencies: ["LibCurl"]),
        .target(name: "CZlib", dependencies: ["LibZ"]),
        .target(name: "CCrypt", dependencies: ["LibCrypt", "LibGnuTLS"]),
        // Client certificates with OpenSSL's libcrypto (libcurl's TLS library): validity,
        // serial, the key matches the certificate.
        .target(name: "CCertificates", dependencies: ["LibCrypto"]),

        // What may leave the process as text: secrets scrubbed, control characters spelled out.
        .target(name: "TextSafety"),
        // Text as others spell it: JSON strings, percent-encoding, RFC 3339 UTC, C strings.
        .target(name: "TextFormats"),
        // CM's wire format: listing pages as bytes → SyncJob (byte-level JSON, RFC 3339). No I/O.
        .target(name: "CMWire"),
        // Jobs → metrics: per-listing aggregation (counted once, limits), histograms, snapshot. No I/O.
        .target(name: "JobMetrics", dependencies: ["CMWire"]),
        // Snapshot → bytes: text 0.0.4, OpenMetrics 1.0.0, protobuf; the metric catalogue. No I/O.
        .target(name: "MetricsExposition", dependencies: ["CMWire", "JobMetrics"]),
        // CipherTrust Manager client: transport (libcurl), auth, paging, listings.
        .target(
            name: "CCKMClient",
            dependencies: ["CCurl", "CCertificates", "CMWire", "JobMetrics", "TextFormats", "TextSafety"]),
        // Generic HTTP server over libmicrohttpd (used by the exporter and the simulator).
        .target(name: "HTTPServer", dependencies: ["CMicroHTTPD", "TextFormats"]),
        // Strict YAML: unknown keys refused, every error names its field (both configurations).
        .target(name: "StrictYAML", dependencies: [.product(name: "Yams", package: "Yams")]),
        // The status pages as text from values, no I/O: `/` (HTML), `/debug` (text), `/job` (HTML).
        .target(name: "StatusPages", dependencies: ["CMWire", "JobMetrics", "TextFormats", "TextSafety"]),
        // The exporter-toolkit of this project: web config loading and watching, TLS (Go's names
        // as GnuTLS priorities), client certificates, bcrypt basic auth, headers, rate limit.
        .target(
            name: "WebToolkit",
            dependencies: ["HTTPServer", "CCrypt", "StrictYAML", .product(name: "Yams", package: "Yams")],
            exclude: ["README.md"]),
        // Exporter endpoints: routing, content negotiation, scrape cache, gzip, the pages as HTTP answers.
        .target(
            name: "MetricsServer", dependencies: ["HTTPServer", "MetricsExposition", "StatusPages", "CZlib"]),
        // The fake CipherTrust Manager: real HTTP, logins, listings, jobs that progress.
        .target(name: "CCKMSimulator", dependencies: ["HTTPServer", "TextFormats", "WebToolkit"]),
        // The exporter's configuration: the strict YAML file and the flags' targets, limits, durations.
        .target(
            name: "ExporterConfig",
            dependencies: ["CCKMClient", "JobMetrics", "StrictYAML", .product(name: "Yams", package: "Yams")]),
        // Log lines: logfmt or JSON, secrets scrubbed, control characters spelled out.
        .target(
            name: "LineLogging",
            dependencies: ["TextFormats", "TextSafety", .product(name: "Logging", package: "swift-log")]),
        // Polling: a thread per CM walks or reads its listings into the exporter's state; reloads.
        // It publishes snapshots to whoever listens and knows nothing of HTTP.
        .target(
            name: "Polling",
            dependencies: [
                "ExporterConfig", "CCKMClient", "CMWire", "JobMetrics", "LineLogging",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Waiting for SIGTERM/SIGINT (and SIGHUP reloads) through dispatch signal sources.
        .target(name: "ProcessSignals"),
        // The exporter process: command line, logging, signals, start, reload and stop.
        .target(
            name: "ExporterApp",
            dependencies: [
                "ExporterConfig", "Polling", "JobMetrics", "MetricsExposition", "CCKMClient", "MetricsServer",
                "StatusPages", "WebToolkit", "HTTPServer", "LineLogging", "ProcessSignals", "TextSafety",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // `--demo`: the simulator as the CM to poll, wired in by the executable only.
        .target(name: "ExporterDemo", dependencies: ["ExporterApp", "CCKMSimulator"]),
        .executableTarget(name: "cckm_exporter", dependencies: ["ExporterApp", "ExporterDemo"]),
        .executableTarget(
            name: "cckm-simulator",
            dependencies: [
                "CCKMSimulator", "ProcessSignals", "TextFormats", "WebToolkit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "CMWireTests", dependencies: ["CMWire"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "JobMetricsTests",
            dependencies: ["CMWire", "JobMetrics", "MetricsExposition", "TestSupport"]),
        .testTarget(
            name: "MetricsExpositionTests",
            dependencies: ["CMWire", "JobMetrics", "MetricsExposition", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "CCKMClientTests",
            dependencies: [
                "CCKMClient", "CMWire", "JobMetrics", "CCKMSimulator", "HTTPServer", "WebToolkit",
                "TestSupport",
                "TextSafety",
            ]),
        .testTarget(name: "TextSafetyTests", dependencies: ["TextSafety"]),
        .testTarget(name: "TextFormatsTests", dependencies: ["TextFormats"]),
        .testTarget(name: "ProcessSignalsTests", dependencies: ["ProcessSignals"]),
        .testTarget(
            name: "StrictYAMLTests",
            dependencies: ["StrictYAML", .product(name: "Yams", package: "Yams")]),
        // Helpers shared by the test targets: raw loopback sockets, jobs and listing builds as
        // tests write them, bounded waits, promtool, the reading of a sample line, the system's
        // gzip, a test PKI and openssl.
        .target(
            name: "TestSupport", dependencies: ["CMWire", "JobMetrics", "StatusPages"],
            path: "Tests/TestSupport"),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "CCKMClient", "TestSupport"]),
        .testTarget(
            name: "MetricsServerTests",
            dependencies: [
                "MetricsServer", "StatusPages", "WebToolkit", "JobMetrics", "MetricsExposition", "CCKMClient",
                "TextFormats", "TextSafety",
                "TestSupport",
            ]),
        .testTarget(
            name: "WebToolkitTests", dependencies: ["WebToolkit", "HTTPServer", "CCKMClient", "TestSupport"]),
        .testTarget(
            name: "StatusPagesTests",
            dependencies: ["StatusPages", "JobMetrics", "TextSafety", "TestSupport"]),
        .testTarget(
            name: "CCKMSimulatorTests",
            dependencies: ["CCKMSimulator", "CCKMClient", "WebToolkit", "TestSupport"]),
        .testTarget(
            name: "ExporterConfigTests", dependencies: ["ExporterConfig", "CCKMClient", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "LineLoggingTests", dependencies: ["LineLogging", "TextSafety"]),
        .testTarget(
            name: "PollingTests",
            dependencies: [
                "Polling", "ExporterConfig", "CCKMClient", "CCKMSimulator", "JobMetrics", "MetricsServer",
                "LineLogging", "TestSupport", "WebToolkit",
            ]),
        .testTarget(
            name: "ExporterAppTests",
            dependencies: [
                "ExporterApp", "ExporterConfig", "Polling", "ExporterDemo", "JobMetrics", "MetricsExposition",
                "CCKMSimulator", "CCKMClient", "HTTPServer", "LineLogging", "TextSafety", "TestSupport",
            ]),
    ]
)

// Swift 6 language mode everywhere; system-library targets take no Swift settings.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    target.swiftSettings = settings
}
