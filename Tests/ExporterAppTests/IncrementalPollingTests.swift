import CCKMClient
import CCKMExporter
import CCKMSimulator
import Foundation
import Logging
import MetricsServer
import Testing

@testable import ExporterApp

/// Two poll paths on ONE simulator: one lists everything on every poll, the other polls
/// incrementally. A manual clock stops time between their polls, so both see the same jobs.
private final class TwinPollers {
    let clock = ManualClock()
    let simulator: CCKMSimulator
    let complete: (poller: CMPoller, state: ExporterState)
    let incremental: (poller: CMPoller, state: ExporterState)
    private var completeSchedule = FullResyncSchedule(interval: .zero)
    private var incrementalSchedule = FullResyncSchedule(interval: .seconds(3600))
    private let listing = Listing.named("aws")!

    init(_ configuration: SimulatorConfiguration, pageSize: Int) throws {
        var configuration = configuration
        configuration.password = "twin-\(UInt32.random(in: 0...UInt32.max))"
        simulator = try CCKMSimulator(configuration: configuration, clock: clock)
        let target = TargetConfiguration(
            name: "sim", url: simulator.baseURL, clouds: ["aws"], pageSize: pageSize,
            auth: AuthConfiguration(
                username: configuration.username, password: Secret(configuration.password)))
        func make(_ owner: Int) -> (CMPoller, ExporterState) {
            let state = ExporterState(cache: ScrapeCache(), build: BuildVersion.buildInfo)
            let poller = CMPoller(
                target: target, pollInterval: .seconds(30), pollTimeout: .seconds(20), owner: owner,
                state: state, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            return (poller, state)
        }
        complete = make(1)
        incremental = make(2)
    }

    deinit { simulator.shutdown() }

    /// Polls with the complete path, then the incremental one; returns the listing requests
    /// the incremental poll sent, or nil when it failed.
    func pollBoth() -> Int? {
        let completeFailure = complete.poller.poll(listing, schedule: &completeSchedule)
        #expect(completeFailure == nil)
        let before = simulator.stats().listingRequests("aws")
        let failure = incremental.poller.poll(listing, schedule: &incrementalSchedule)
        return failure == nil ? simulator.stats().listingRequests("aws") - before : nil
    }

    /// One poll of the incremental path alone; returns its error.
    func pollIncrementalOnly() -> CMError? {
        incremental.poller.poll(listing, schedule: &incrementalSchedule)
    }

    /// The job families of both paths' exposition (poll health and request counts differ
    /// legitimately: duration, timestamps, API requests).
    func jobExpositions() -> (complete: String, incremental: String) {
        (Self.jobLines(complete.state), Self.jobLines(incremental.state))
    }

    private static func jobLines(_ state: ExporterState) -> String {
        let text = String(
            decoding: ExpositionWriter.render(state.snapshot(), format: .prometheusText), as: UTF8.self)
        let excluded = [
            "cckm_poll_duration_seconds", "cckm_api_requests_total",
            "cckm_last_poll_success_timestamp_seconds",
            "cckm_poll_errors_total",  // the incremental path alone gets an injected failure
        ]
        return text.split(separator: "\n").filter { line in
            !excluded.contains { line.contains($0) }
        }.joined(separator: "\n")
    }
}

@Suite("Incremental polling", .timeLimit(.minutes(1)))
struct IncrementalPollingTests {
    @Test("incremental polls give the job metrics of complete listings at every point, under churn")
    func incrementalEqualsCompleteUnderChurn() throws {
        let twins = try TwinPollers(
            SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 300, newJobIntervalSeconds: 0.5, regionSeconds: 1,
                parallelRegions: 2, failureRate: 0.2, abortRate: 0.15, seed: 11),
            pageSize: 40)
        var compared = 0
        var requests: [Int] = []
        for step in 0..<120 {
            twins.clock.advance(by: [0.5, 0.3, 1.1, 0.5, 2.0][step % 5])
            if step % 17 == 5 {
                try twins.simulator.insertJob(
                    listing: "aws", outcome: .status("error"), regions: ["us-east-1"], durationSeconds: 1)
            }
            if step == 10 || step == 20 {
                // Jobs that outlive the head page: re-read by id until (and once) they finish.
                try twins.simulator.insertJob(
                    listing: "aws", outcome: step == 10 ? .failed : .aborted,
                    regions: ["eu-west-1", "eu-west-2"], durationSeconds: 45)
            }
            if step == 60 {
                // A failed incremental poll (403 is not retried): the next one lists everything.
                try twins.simulator.injectFault(Fault(scope: .listings, count: 1, status: 403))
                #expect(twins.pollIncrementalOnly() != nil)
            }
            guard let sent = twins.pollBoth() else { continue }
            if step > 0 && step != 60 { requests.append(sent) }
            let (complete, incremental) = twins.jobExpositions()
            #expect(complete == incremental, "step \(step)")
            if complete != incremental { return }
            compared += 1
        }
        #expect(compared >= 110)
        let (complete, _) = twins.jobExpositions()
        for status in ["completed", "failed", "aborted", "error"] {
            #expect(
                complete.contains(
                    "cckm_sync_jobs_finished_total{cloud=\"aws\",cm=\"sim\",status=\"\(status)\"}"))
        }
        #expect(complete.contains("cckm_sync_region_in_progress{"))
        #expect(requests.max() ?? 99 <= 2, "listing requests per incremental poll: \(requests)")
        #expect(requests.contains(2), "running jobs beyond the head page were re-read")
    }

    @Test("steady state over a 10k-job history costs at most 2 requests per poll")
    func steadyStateRequests() throws {
        let twins = try TwinPollers(
            SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 10_000, newJobIntervalSeconds: 2, regionSeconds: 3,
                seed: 3),
            pageSize: 1000)
        let listing = Listing.named("aws")!
        var schedule = FullResyncSchedule(interval: .seconds(3600))
        #expect(twins.incremental.poller.poll(listing, schedule: &schedule) == nil)
        var perPoll: [Int] = []
        for _ in 0..<10 {
            twins.clock.advance(by: 5)  // a handful of new jobs, some running
            let before = twins.simulator.stats().apiRequests
            #expect(twins.incremental.poller.poll(listing, schedule: &schedule) == nil)
            perPoll.append(twins.simulator.stats().apiRequests - before)
        }
        #expect(perPoll.allSatisfy { $0 <= 2 }, "API requests per poll: \(perPoll)")
        let metrics = twins.incremental.state.snapshot().listings[0]
        #expect(metrics.jobsByStatus.map(\.count).reduce(0, +) > 10_000)
    }
}

@Suite("Full resync interval setting")
struct FullResyncSettingTests {
    private var yaml: String {
        get throws {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "resync-\(UUID().uuidString)")
            try "secret".write(to: file, atomically: true, encoding: .utf8)
            return """
                poll_interval: 30s
                targets:
                  - {name: a, url: "https://cm.example.com", auth: {username: u, password_file: "\(file.path)"}}
                """
        }
    }

    @Test("--poll.full-resync-interval defaults to 10m, takes 0, and names itself when wrong")
    func flag() throws {
        let base = ["--cm.url=https://cm.example.com", "--cm.username=u"]
        let defaults = try RuntimeSettings(
            options: ExporterOptions.parse(base), environment: ["CCKM_PASSWORD": "p"])
        #expect(defaults.fullResyncInterval == .seconds(600))
        #expect(try defaults.configuration().fullResyncInterval == .seconds(600))
        let zero = try RuntimeSettings(
            options: ExporterOptions.parse(base + ["--poll.full-resync-interval=0"]),
            environment: ["CCKM_PASSWORD": "p"])
        #expect(try zero.configuration().fullResyncInterval == .zero)
        #expect(throws: ConfigurationError.self) {
            try RuntimeSettings(
                options: ExporterOptions.parse(base + ["--poll.full-resync-interval=soon"]), environment: [:])
        }
    }

    @Test("full_resync_interval in the file wins over the flag's value")
    func yamlKey() throws {
        let fromFlag = try ConfigurationLoader.parse(
            yaml: try yaml, defaults: (.seconds(30), .seconds(20)), fullResyncInterval: .seconds(120))
        #expect(fromFlag.fullResyncInterval == .seconds(120))
        let fromFile = try ConfigurationLoader.parse(
            yaml: "full_resync_interval: 1h\n" + (try yaml), defaults: (.seconds(30), .seconds(20)),
            fullResyncInterval: .seconds(120))
        #expect(fromFile.fullResyncInterval == .seconds(3600))
    }

    @Test("a complete listing comes at start, after a failure and once the interval passed")
    func schedule() {
        var schedule = FullResyncSchedule(interval: .seconds(600))
        let start = ContinuousClock.now
        #expect(schedule.needsComplete("aws", now: start))
        schedule.completed("aws", startedAt: start)
        #expect(!schedule.needsComplete("aws", now: start + .seconds(599)))
        #expect(schedule.needsComplete("azure", now: start))
        #expect(schedule.needsComplete("aws", now: start + .seconds(600)))
        schedule.failed("aws")
        #expect(schedule.needsComplete("aws", now: start + .seconds(1)))
        #expect(FullResyncSchedule(interval: .zero).needsComplete("aws", now: start))
    }
}
