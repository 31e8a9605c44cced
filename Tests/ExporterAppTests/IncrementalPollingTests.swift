import CCKMClient
import CCKMSimulator
import Foundation
import Logging
import MetricsExposition
import Testing

@testable import ExporterApp
@testable import ExporterConfig
@testable import Polling

/// Two poll paths on ONE simulator: one lists everything on every poll, the other polls
/// incrementally. A manual clock stops time between their polls, so both see the same jobs.
private final class TwinPollers {
    let clock = ManualClock()
    let simulator: CCKMSimulator
    let complete: (poller: CMPoller, state: ExporterState)
    let incremental: (poller: CMPoller, state: ExporterState)
    private var completeListing: ListingPollState
    private var incrementalListing: ListingPollState

    init(_ configuration: SimulatorConfiguration, pageSize: Int) throws {
        var configuration = configuration
        configuration.password = "twin-\(UInt32.random(in: 0...UInt32.max))"
        simulator = try CCKMSimulator(configuration: configuration, clock: clock)
        let target = TargetConfiguration(
            name: "sim", url: simulator.baseURL, clouds: ["aws"], pageSize: pageSize,
            auth: AuthConfiguration(
                username: configuration.username, password: Secret(configuration.password)))
        func make(_ owner: Int, resync: Duration) -> (CMPoller, ExporterState) {
            let state = ExporterState(build: BuildVersion.buildInfo)
            let poller = CMPoller(
                target: target, pollInterval: .seconds(30), pollTimeout: .seconds(20),
                fullResyncInterval: resync, owner: owner, state: state,
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            return (poller, state)
        }
        complete = make(1, resync: .zero)
        incremental = make(2, resync: .seconds(3600))
        completeListing = complete.poller.initialState(Listing.named("aws")!)
        incrementalListing = incremental.poller.initialState(Listing.named("aws")!)
    }

    deinit { simulator.shutdown() }

    /// Polls with the complete path, then the incremental one; returns the listing requests
    /// the incremental poll sent, or nil when it failed.
    func pollBoth() -> Int? {
        let completeFailure = complete.poller.poll(&completeListing)
        #expect(completeFailure == nil)
        let before = simulator.stats().listingRequests("aws")
        let failure = incremental.poller.poll(&incrementalListing)
        return failure == nil ? simulator.stats().listingRequests("aws") - before : nil
    }

    /// One poll of the incremental path alone; returns its error.
    func pollIncrementalOnly() -> CMError? {
        incremental.poller.poll(&incrementalListing)
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

@Suite("Incremental polling", .timeLimit(.minutes(4)))
struct IncrementalPollingTests {
    /// The undocumented behaviours a real CM may show (API-FACTS), each with the most listing
    /// requests one incremental poll may send in the churn test.
    static let modes: [(name: String, behaviour: APIBehaviour, maxRequests: Int)] = [
        ("as asked", APIBehaviour(), 2),
        ("id filter takes one value", APIBehaviour(idFilterValues: 1), 2),
        ("sort ignored, oldest first", APIBehaviour(sortHonoured: false, defaultOrder: .oldestFirst), 3),
        ("30 old jobs stuck in_progress", APIBehaviour(stuckJobs: 30), 3),
        ("slow pages", APIBehaviour(pageLatencySeconds: 0.002), 2),
    ]

    /// One mode at a time: each blocks a test thread on network I/O for its whole run, and
    /// five at once would starve the other suites' time limits on 2 cores.
    @Test(
        "incremental polls give the job metrics of complete listings at every point, under churn",
        .serialized, arguments: modes.indices)
    func incrementalEqualsCompleteUnderChurn(mode: Int) throws {
        let (name, behaviour, maxRequests) = Self.modes[mode]
        // The first mode runs the long churn; the others, the same events in fewer steps.
        let steps = mode == 0 ? 120 : 70
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 300, newJobIntervalSeconds: 0.5, regionSeconds: 1,
            parallelRegions: 2, failureRate: 0.2, abortRate: 0.15, seed: 11)
        configuration.behaviour = behaviour
        let twins = try TwinPollers(configuration, pageSize: 40)
        var compared = 0
        var requests: [Int] = []
        for step in 0..<steps {
            twins.clock.advance(by: [0.5, 0.3, 1.1, 0.5, 2.0][step % 5])
            if step % 17 == 5 {
                try twins.simulator.insertJob(
                    listing: "aws", outcome: .status("error"), regions: ["us-east-1"], durationSeconds: 1)
            }
            if step == 10 || step == 20 {
                // Jobs that outlive the head page: re-read until (and once) they finish.
                try twins.simulator.insertJob(
                    listing: "aws", outcome: step == 10 ? .failed : .aborted,
                    regions: ["eu-west-1", "eu-west-2"], durationSeconds: 45)
            }
            if step == 60 {
                // A failed incremental poll (403 is not retried) loses nothing.
                try twins.simulator.injectFault(Fault(scope: .listings, count: 1, status: 403))
                #expect(twins.pollIncrementalOnly() != nil)
            }
            guard let sent = twins.pollBoth() else { continue }
            if step > 0 && step != 60 && step != 61 { requests.append(sent) }
            let (complete, incremental) = twins.jobExpositions()
            #expect(complete == incremental, "\(name): step \(step)")
            if complete != incremental { return }
            compared += 1
        }
        #expect(compared >= steps - 10, "\(name)")
        let (complete, _) = twins.jobExpositions()
        for status in ["completed", "failed", "aborted", "error"] {
            #expect(
                complete.contains(
                    "cckm_sync_jobs_finished_total{cloud=\"aws\",cm=\"sim\",status=\"\(status)\"}"))
        }
        #expect(complete.contains("cckm_sync_region_in_progress{"))
        #expect(complete.contains("cckm_sync_jobs_cancelled_total{cloud=\"aws\",cm=\"sim\"}"))
        #expect(
            requests.max() ?? 99 <= maxRequests, "\(name): listing requests per incremental poll: \(requests)"
        )
        #expect(requests.contains { $0 >= 2 }, "\(name): the running set was re-read")
    }

    @Test("steady state over a 10k-job history costs at most 2 requests per poll")
    func steadyStateRequests() throws {
        let twins = try TwinPollers(
            SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 10_000, newJobIntervalSeconds: 2, regionSeconds: 3,
                seed: 3),
            pageSize: 1000)
        #expect(twins.pollIncrementalOnly() == nil)
        var perPoll: [Int] = []
        for _ in 0..<10 {
            twins.clock.advance(by: 5)  // a handful of new jobs, some running
            let before = twins.simulator.stats().apiRequests
            #expect(twins.pollIncrementalOnly() == nil)
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
}
