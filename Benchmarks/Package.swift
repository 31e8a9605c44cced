// swift-tools-version:6.0
// cckm-bench, the benchmark of docs/PERFORMANCE.md: a package of its own, so that the
// root package's `swift build` (CI, the soak) does not build it. It uses the root's targets
// through their library products.
//   swift run -c release --package-path Benchmarks cckm-bench
import PackageDescription

// What the bench imports from the root package (each a library product there).
let rootLibraries = [
    "CMWire", "JobMetrics", "MetricsExposition", "CCKMClient", "CCKMSimulator", "MetricsServer", "StatusPages",
    "HTTPServer",
    "Polling",
]

let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "cckm_exporter", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "cckm-bench",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]
                + rootLibraries.map { .product(name: $0, package: "cckm_exporter") })
    ]
)

// Swift 6 language mode, as in the root package.
for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    target.swiftSettings = settings
}
