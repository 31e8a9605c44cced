import CCKMClient
import CCKMSimulator
import Foundation
import Logging
import TestSupport
import Testing

@testable import ExporterApp
@testable import ExporterConfig
@testable import Polling

/// Complete walks on a CM that pages slowly: they are not bound by the poll timeout, show
/// their progress while they run, and once one has ended polls are incremental; a consistency
/// check of the totals catches what incremental polls cannot see (a purge).
@Suite("Complete walks on a slow CM", .timeLimit(.minutes(2)))
struct CompleteWalkTests {
    /// 60 pages of 30 ms: longer than the 1 s poll timeout. Before walks were resumable, every
    /// poll timed out part-way and the exporter was never up.
    @Test("a walk longer than the poll timeout ends, exports its start meanwhile, then gives exact metrics")
    func walkOutlastsThePollTimeout() throws {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 600, newJobIntervalSeconds: 1000, seed: 5)
        configuration.behaviour = APIBehaviour(pageLatencySeconds: 0.03)
        let exporter = try ExporterUnderTest(simulator: configuration, flags: ["--cm.page-size=10"])
        let during = try exporter.waitFor("the walk's start exported", timeout: 10) {
            $0.sum("cckm_listing_walk_started_timestamp_seconds") > 0
        }
        #expect(during.sum("cckm_up") == 0 && during["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == nil)
        #expect(try exporter.get("/-/ready").status == 503)
        try waitUntil("the walk's progress on /debug") {
            let debug = (try? exporter.get("/debug")).map { String(decoding: $0.body, as: UTF8.self) } ?? ""
            return debug.contains("walk: ") && debug.contains(" of 600 jobs (")
        }
        let after = try exporter.waitFor("the walk's end", timeout: 30) {
            $0["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 1
        }
        #expect(after.sum("cckm_sync_jobs", ["cloud=\"aws\""]) == 600)
        #expect(after.sum("cckm_listing_walk_started_timestamp_seconds") == 0)
        #expect(after.sum("cckm_poll_errors_total") == 0)
        #expect(try exporter.get("/-/ready").status == 200)
        let finished = try exporter.simulatorJobs().filter {
            ($0["overall_status"] as? String) != "in_progress"
        }
        #expect(after.sum("cckm_sync_jobs_finished_total", ["cloud=\"aws\""]) == Double(finished.count))
    }

    /// 257 jobs in pages of 10, JWTs of 3 s, one poll a second, a 503 burst and jobs inserted
    /// between pages: up within seconds, no token-expiry error, every job counted once.
    @Test("short tokens, small pages, a 503 burst and jobs inserted between pages: exact")
    func shortTokensSmallPages() throws {
        let configuration = SimulatorConfiguration(
            tokenLifetimeSeconds: 3, listings: ["aws"], historyPerListing: 257, newJobIntervalSeconds: 1000,
            seed: 9)
        let exporter = try ExporterUnderTest(simulator: configuration, flags: ["--cm.page-size=10"])
        try exporter.simulator.injectFault(Fault(scope: .listings, count: 2, status: 503))
        try exporter.simulator.injectFault(Fault(scope: .listings, insertOnPage: 4, insertCount: 3))
        try exporter.waitFor("up", timeout: 15) { $0["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 1 }
        for _ in 0..<3 {
            try exporter.simulator.insertJob(listing: "aws", outcome: .failed, durationSeconds: 0)
        }
        // The oracle is read again on every scrape: inserted jobs progress meanwhile.
        let metrics = try exporter.waitFor("every job counted", timeout: 15) { metrics in
            guard let expected = try? exporter.simulatorJobs() else { return false }
            let finished = expected.filter { ($0["overall_status"] as? String) != "in_progress" }
            return expected.count == 257 + 3 + 3
                && metrics.sum("cckm_sync_jobs", ["cloud=\"aws\""]) == Double(expected.count)
                && metrics.sum("cckm_sync_jobs_finished_total", ["cloud=\"aws\""]) == Double(finished.count)
        }
        #expect(metrics.sum("cckm_poll_errors_total", ["reason=\"auth\""]) == 0)
    }

    @Test("a purge the incremental polls cannot see is caught by the totals check and repaired, no walk")
    func consistencyCheckCatchesAPurge() throws {
        let clock = ManualClock()
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 400, newJobIntervalSeconds: 0, seed: 13)
        configuration.password = "check-\(UInt32.random(in: 0...UInt32.max))"
        let simulator = try CCKMSimulator(configuration: configuration, clock: clock)
        defer { simulator.shutdown() }
        let pollerClock = ManualPollerClock()
        let state = ExporterState(build: BuildVersion.buildInfo)
        let poller = CMPoller(
            target: TargetConfiguration(
                name: "sim", url: simulator.baseURL, clouds: ["aws"], pageSize: 100,
                auth: AuthConfiguration(
                    username: configuration.username, password: Secret(configuration.password))),
            pollInterval: .seconds(30), pollTimeout: .seconds(20), fullResyncInterval: .seconds(600),
            owner: 1, state: state, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            clock: pollerClock)
        var listing = poller.initialState(Listing.named("aws")!)
        #expect(poller.poll(&listing) == nil)
        let jobs = { state.snapshot().listings[0].jobsByStatus.map(\.count).reduce(0, +) }
        #expect(jobs() == 400)

        try simulator.purgeOldest(listing: "aws", count: 150)
        pollerClock.advance(by: .seconds(30))
        var before = simulator.stats().listingRequests("aws")
        #expect(poller.poll(&listing) == nil)
        #expect(simulator.stats().listingRequests("aws") - before == 1, "a steady poll: the head only")
        #expect(jobs() == 400, "incremental polls cannot see a purge")

        pollerClock.advance(by: .seconds(600))
        before = simulator.stats().listingRequests("aws")
        #expect(poller.poll(&listing) == nil)
        let sent = simulator.stats().listingRequests("aws") - before
        #expect(jobs() == 250, "the mismatch was repaired from the listing's far end")
        // Head, totals (all and 4 statuses) and head, the far end, totals and head again.
        #expect(sent == 1 + 6 + 1 + 6, "requests: \(sent)")

        pollerClock.advance(by: .seconds(600))
        before = simulator.stats().listingRequests("aws")
        #expect(poller.poll(&listing) == nil)
        #expect(simulator.stats().listingRequests("aws") - before == 1 + 5 + 1, "totals agree: no walk")
    }
}
