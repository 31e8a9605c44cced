import Foundation

/// What one history size measured; crosses from the child process as one line of JSON.
struct BenchResult: Codable {
    var jobs: Int
    /// Seconds the simulator took to create the history (not the exporter's cost).
    var simulatorSeedSeconds: Double
    /// Bytes of JSON the complete listing takes (pages of 1000).
    var listingBytes: Int
    /// Decode + aggregate from bytes in memory: best of three runs.
    var ingestSeconds: Double
    var ingestCPUSeconds: Double
    /// Decoding alone (pages → SyncJobs), best of three.
    var decodeSeconds: Double
    /// RFC 3339 parsing, nanoseconds per timestamp.
    var timestampNanoseconds: Double
    /// One text exposition of the listing's snapshot.
    var renderMicroseconds: Double
    /// One protobuf exposition of the same snapshot.
    var protobufRenderMicroseconds: Double = 0
    /// `wrk -t2 -c16` against `/metrics` served by ExporterRoutes over libmicrohttpd.
    var scrapesPerSecond: Double?
    /// The same with Prometheus 2.42's default `Accept` header: OpenMetrics bodies.
    var openMetricsScrapesPerSecond: Double?
    /// The same with Prometheus 2.42's native-histogram `Accept` header: protobuf bodies.
    var protobufScrapesPerSecond: Double?
    /// A complete poll through CMClient against the simulator (wall, simulator included).
    var completePollSeconds: Double
    var completePollRequests: Int
    /// Incremental polls after a handful of new jobs: requests of each, and the wall time.
    var incrementalPollRequests: [Int]
    var incrementalPollMilliseconds: Double
    /// VmHWM after polling, rendering and serving (before the ingest micro-benchmark holds
    /// every page at once), and the VmRSS of the simulator's history alone before any poll.
    var peakRSSBytes: Int
    var simulatorRSSBytes: Int

    static let marker = "RESULT "

    func encoded() -> String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self)
    }

    init?(encoded: String) {
        guard let value = try? JSONDecoder().decode(BenchResult.self, from: Data(encoded.utf8)) else {
            return nil
        }
        self = value
    }

    init(jobs: Int) {
        self.jobs = jobs
        simulatorSeedSeconds = 0
        listingBytes = 0
        ingestSeconds = 0
        ingestCPUSeconds = 0
        decodeSeconds = 0
        timestampNanoseconds = 0
        renderMicroseconds = 0
        completePollSeconds = 0
        completePollRequests = 0
        incrementalPollRequests = []
        incrementalPollMilliseconds = 0
        peakRSSBytes = 0
        simulatorRSSBytes = 0
    }

    /// A Markdown table, one column per history size.
    static func table(_ results: [BenchResult]) -> String {
        func row(_ name: String, _ value: (BenchResult) -> String) -> String {
            "| \(name) | " + results.map(value).joined(separator: " | ") + " |"
        }
        let mb = { (bytes: Int) in String(format: "%.1f MB", Double(bytes) / 1e6) }
        return [
            "| | " + results.map { "\($0.jobs) jobs" }.joined(separator: " | ") + " |",
            "|---|" + results.map { _ in "---:|" }.joined(),
            row("listing JSON") { mb($0.listingBytes) },
            row("ingest (decode + aggregate), wall") { String(format: "%.1f ms", $0.ingestSeconds * 1e3) },
            row("ingest, CPU") { String(format: "%.1f ms", $0.ingestCPUSeconds * 1e3) },
            row("  of which decoding") {
                String(
                    format: "%.1f ms (%.0f MB/s)", $0.decodeSeconds * 1e3,
                    Double($0.listingBytes) / $0.decodeSeconds / 1e6)
            },
            row("ingest jobs/s") { String(format: "%.2f M", Double($0.jobs) / $0.ingestSeconds / 1e6) },
            row("ingest MB/s") { String(format: "%.0f", Double($0.listingBytes) / $0.ingestSeconds / 1e6) },
            row("RFC 3339 parse") { String(format: "%.1f ns", $0.timestampNanoseconds) },
            row("render text exposition") { String(format: "%.0f µs", $0.renderMicroseconds) },
            row("render protobuf exposition") { String(format: "%.0f µs", $0.protobufRenderMicroseconds) },
            row("/metrics req/s (wrk -t2 -c16)") {
                $0.scrapesPerSecond.map { String(format: "%.0f", $0) } ?? "n/a"
            },
            row("/metrics req/s, OpenMetrics (same wrk, Prometheus 2.42's default Accept)") {
                $0.openMetricsScrapesPerSecond.map { String(format: "%.0f", $0) } ?? "n/a"
            },
            row("/metrics req/s, protobuf (same wrk, Accept of Prometheus 2.42 native histograms)") {
                $0.protobufScrapesPerSecond.map { String(format: "%.0f", $0) } ?? "n/a"
            },
            row("complete poll: requests") { "\($0.completePollRequests)" },
            row("complete poll: wall (simulator in-process)") {
                String(format: "%.2f s", $0.completePollSeconds)
            },
            row("incremental poll: requests (5 new jobs)") {
                $0.incrementalPollRequests.map(String.init).joined(separator: ", ")
            },
            row("incremental poll: wall") { String(format: "%.1f ms", $0.incrementalPollMilliseconds) },
            row("peak RSS (VmHWM, simulator included)") { mb($0.peakRSSBytes) },
            row("RSS of the simulator's history alone") { mb($0.simulatorRSSBytes) },
            row("simulator: create history") { String(format: "%.2f s", $0.simulatorSeedSeconds) },
        ].joined(separator: "\n")
    }
}
