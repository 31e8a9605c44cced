import CCKMClient
import CCKMSimulator
import Foundation
import JobMetrics
import Polling

/// Measures one history size in this process: a simulator holding `jobs` finished jobs,
/// a complete poll through ``CMClient``, incremental polls after a handful of new jobs,
/// rendering, `/metrics` under wrk, peak RSS, then the ingest and timestamp micro-benchmarks.
enum SizeMeasurement {
    static let listing = Listing.named("aws")!

    static func run(jobs: Int, wrkSeconds: Int) -> BenchResult {
        var result = BenchResult(jobs: jobs)
        let seedStart = ContinuousClock.now
        let simulator = try! CCKMSimulator(
            configuration: SimulatorConfiguration(
                listings: ["aws"], historyPerListing: jobs, newJobIntervalSeconds: 0, seed: 5,
                maxPageSize: 1000, serverThreads: 2))
        defer { simulator.shutdown() }
        result.simulatorSeedSeconds = (ContinuousClock.now - seedStart) / .seconds(1)
        result.simulatorRSSBytes = ProcStatus.bytes("VmRSS")
        // A long-running job with 60 newer ones: deeper than the head page, so incremental
        // polls re-read it by id (the two-request steady state).
        try! simulator.insertJob(listing: "aws", outcome: .running, regions: ["us-east-1"])
        for _ in 0..<60 { try! simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 0) }

        let client = CMClient(
            baseURL: simulator.baseURL, credentials: CMCredentials(username: "admin", password: "admin"),
            transport: HTTPTransport(), pageSize: 1000, onRequest: { _, _ in })
        var aggregator = ListingAggregator(key: ListingKey(cm: "bench", cloud: "aws"))
        pollCompletely(simulator, client, &aggregator, into: &result)
        pollIncrementally(simulator, client, &aggregator, into: &result)

        let snapshot = MetricsSnapshot(
            listings: [aggregator.metrics], health: [PollHealth(key: aggregator.key)], apiRequests: [:],
            build: BuildInfo(version: "bench", revision: "bench", swiftVersion: "6"))
        result.renderMicroseconds = RenderBenchmark.microseconds(snapshot)
        result.protobufRenderMicroseconds = RenderBenchmark.microseconds(snapshot, format: .protobuf)
        result.scrapesPerSecond = ScrapeBenchmark.requestsPerSecond(snapshot, seconds: wrkSeconds)
        result.openMetricsScrapesPerSecond = ScrapeBenchmark.requestsPerSecond(
            snapshot, seconds: wrkSeconds, accept: ScrapeBenchmark.openMetricsAccept)
        result.protobufScrapesPerSecond = ScrapeBenchmark.requestsPerSecond(
            snapshot, seconds: wrkSeconds, accept: ScrapeBenchmark.protobufAccept)
        result.peakRSSBytes = ProcStatus.bytes("VmHWM")

        let pages = IngestBenchmark.downloadPages(simulator)
        result.listingBytes = pages.reduce(0) { $0 + $1.count }
        (result.ingestSeconds, result.ingestCPUSeconds, result.decodeSeconds) = IngestBenchmark.ingest(pages)
        result.timestampNanoseconds = TimestampBenchmark.nanosecondsPerParse()
        return result
    }

    private static func pollCompletely(
        _ simulator: CCKMSimulator, _ client: CMClient, _ aggregator: inout ListingAggregator,
        into result: inout BenchResult
    ) {
        let before = simulator.stats().listingRequests("aws")
        let start = ContinuousClock.now
        var build = ListingBuild()
        _ = try! client.listJobs(listing, deadline: .now + .seconds(600)) { fresh in
            build.add(fresh)
        }
        aggregator.apply(build)
        result.completePollSeconds = (ContinuousClock.now - start) / .seconds(1)
        result.completePollRequests = simulator.stats().listingRequests("aws") - before
    }

    private static func pollIncrementally(
        _ simulator: CCKMSimulator, _ client: CMClient, _ aggregator: inout ListingAggregator,
        into result: inout BenchResult
    ) {
        let lister = IncrementalLister(client: client)
        var total = Duration.zero
        for round in 0..<5 {
            for index in 0..<5 {
                try! simulator.insertJob(
                    listing: "aws", outcome: index == 0 ? .failed : .completed,
                    durationSeconds: Double(round % 2))
            }
            let before = simulator.stats().listingRequests("aws")
            let start = ContinuousClock.now
            var filter = StatusFilterSupport.unverified
            let polled = try! lister.poll(
                listing, known: aggregator.knownJobs, order: .newestFirst, expectedTotal: nil,
                statusFilter: &filter, deadline: .now + .seconds(60))
            guard case .changes(let changes, _) = polled.outcome else {
                preconditionFailure("incremental poll asked for a complete walk: \(polled.outcome)")
            }
            aggregator.apply(changes: changes)
            total += ContinuousClock.now - start
            result.incrementalPollRequests.append(simulator.stats().listingRequests("aws") - before)
        }
        result.incrementalPollMilliseconds = total / .milliseconds(1) / 5
    }
}

/// Values of `/proc/self/status` (Linux).
enum ProcStatus {
    /// `VmRSS`, `VmHWM`, … in bytes; 0 when unavailable.
    static func bytes(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return digits * 1024
        }
        return 0
    }
}
