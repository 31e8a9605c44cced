import Foundation
import HTTPServer
import JobMetrics
import MetricsExposition
import MetricsServer
import StatusPages

/// Rendering the exposition of a snapshot in one format.
enum RenderBenchmark {
    static func microseconds(_ snapshot: MetricsSnapshot, format: ExpositionFormat = .prometheusText)
        -> Double
    {
        var bytes = 0
        let rounds = 200
        let start = ContinuousClock.now
        for _ in 0..<rounds {
            bytes += ExpositionWriter.render(snapshot, format: format).count
        }
        precondition(bytes > 0)
        return (ContinuousClock.now - start) / .seconds(1) * 1e6 / Double(rounds)
    }
}

/// `/metrics` served the way the exporter serves it (``ExporterRoutes`` over libmicrohttpd,
/// bodies from the ``ScrapeCache``), loaded with `wrk -t2 -c16`.
enum ScrapeBenchmark {
    static let wrk = "/usr/bin/wrk"

    /// The `Accept` header Prometheus 2.42 sends by default.
    static let openMetricsAccept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    /// The `Accept` header Prometheus 2.42 sends with `--enable-feature=native-histograms`.
    static let protobufAccept =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
        + "application/openmetrics-text;version=1.0.0;q=0.8,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    /// Requests per second wrk reports, each request with `accept` as its `Accept` header
    /// when given; nil when wrk is missing or said nothing usable.
    static func requestsPerSecond(_ snapshot: MetricsSnapshot, seconds: Int, accept: String? = nil) -> Double?
    {
        guard FileManager.default.isExecutableFile(atPath: wrk) else { return nil }
        let cache = ScrapeCache()
        cache.publish(snapshot)
        let routes = ExporterRoutes(telemetryPath: "/metrics", cache: cache, status: BenchStatus())
        guard
            let server = try? HTTPServer(
                options: HTTPServerOptions(host: "127.0.0.1", port: 0), handler: Handlers.routing(routes))
        else { return nil }
        defer { server.shutdown() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments =
            ["-t2", "-c16", "-d\(seconds)s"] + (accept.map { ["-H", "Accept: \($0)"] } ?? [])
            + ["http://127.0.0.1:\(server.port)/metrics"]
        let output = Pipe()
        process.standardOutput = output
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        FileHandle.standardError.write(Data(text.utf8))
        let line = text.split(separator: "\n").first { $0.hasPrefix("Requests/sec:") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }
    }
}

/// Handlers as static members of a plain enum: a closure written in main.swift would be
/// inferred @MainActor and trap on libmicrohttpd's threads.
enum Handlers {
    static func routing(_ routes: ExporterRoutes) -> HTTPServer.Handler {
        { request in routes.handle(request) }
    }
}

/// A status that is always ready and has no listings to show (only `/metrics` is measured).
struct BenchStatus: ExporterStatus {
    var isReady: Bool { true }
    func statusPage() -> StatusPage { StatusPage(version: "bench", startTime: 0, listings: []) }
    func reload() -> Result<Void, ReloadFailure> { .success(()) }
}
