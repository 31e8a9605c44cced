import CCKMClient
import CCKMSimulator
import Foundation
import TestSupport
import Testing

@testable import ExporterApp

/// A simulator whose jobs do not change on their own: the history is all there is.
private func quietSimulator(history: Int = 30, listings: [String] = ["aws"]) -> SimulatorConfiguration {
    SimulatorConfiguration(
        listings: listings, historyPerListing: history, newJobIntervalSeconds: 100_000, seed: 7)
}

@Suite("Exporter and simulator over real sockets", .timeLimit(.minutes(2)))
struct IntegrationTests {
    @Test("scraped job metrics equal what the CM lists (checked with an independent JSON parser)")
    func metricsMatchListing() throws {
        let exporter = try ExporterUnderTest(simulator: quietSimulator())
        let metrics = try exporter.waitFor("first poll") { $0["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 1 }
        let jobs = try exporter.simulatorJobs()
        var byStatus: [String: Double] = [:]
        for job in jobs { byStatus[job["overall_status"] as? String ?? "?", default: 0] += 1 }
        for (status, count) in byStatus {
            #expect(
                metrics["cckm_sync_jobs{cloud=\"aws\",cm=\"sim\",status=\"\(status)\"}"] == count,
                "status \(status)")
        }
        for status in ["in_progress", "completed", "failed", "aborted"] {
            #expect(metrics["cckm_sync_jobs{cloud=\"aws\",cm=\"sim\",status=\"\(status)\"}"] != nil)
        }
        let finished = jobs.filter { ($0["overall_status"] as? String) != "in_progress" }.count
        #expect(metrics.sum("cckm_sync_jobs_finished_total", ["cm=\"sim\""]) == Double(finished))
        #expect(metrics.sum("cckm_sync_job_duration_seconds_count", ["cm=\"sim\""]) == Double(finished))
        #expect(metrics.sum("cckm_api_requests_total", ["endpoint=\"auth\"", "code=\"200\""]) >= 1)
        #expect(
            metrics[
                "cckm_exporter_build_info{revision=\"unknown\",swift_version=\"\(BuildVersion.swiftVersion)\",version=\"\(BuildVersion.version)\"}"
            ] == 1)
        #expect(metrics["process_open_fds"] ?? 0 > 0)
    }

    @Test("a JWT expiring during paging is renewed and the listing completes")
    func tokenExpiryDuringPaging() throws {
        var configuration = quietSimulator(history: 60)
        configuration.tokenLifetimeSeconds = 1
        let exporter = try ExporterUnderTest(
            simulator: configuration, flags: ["--cm.page-size=5", "--poll.interval=5s", "--poll.timeout=5s"])
        // Each page takes 150 ms: paging 12+ pages outlives a one-second token.
        try exporter.simulator.injectFault(Fault(scope: .listings, count: 40, delayMilliseconds: 150))
        let metrics = try exporter.waitFor("a complete listing") {
            $0["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 1
        }
        #expect(metrics.sum("cckm_sync_jobs", ["cm=\"sim\""]) == 60)
        #expect(metrics.sum("cckm_poll_errors_total", ["cm=\"sim\""]) == 0)
        let logins = exporter.simulator.stats().logins.values.reduce(0, +)
        #expect(logins >= 2, "expected a renewal while paging, saw \(logins) login(s)")
    }

    @Test("jobs inserted between pages are neither lost nor counted twice")
    func jobsInsertedBetweenPages() throws {
        let exporter = try ExporterUnderTest(
            simulator: quietSimulator(history: 40), flags: ["--cm.page-size=10"])
        // While page 2 is asked for, 3 new jobs land on page 1 (newest first) and push 3 old
        // ones onto page 2: a poll that counted by position would see 43 with duplicates.
        try exporter.simulator.injectFault(Fault(scope: .listings, count: 1, insertOnPage: 2, insertCount: 3))
        let first = try exporter.waitFor("first poll") { $0["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 1 }
        #expect(first.sum("cckm_sync_jobs", ["cm=\"sim\""]) == 40)
        #expect(try exporter.simulatorJobs().count == 43)
        try exporter.waitFor("the inserted jobs on the next poll") {
            $0.sum("cckm_sync_jobs", ["cm=\"sim\""]) == 43
        }
    }

    @Test("a 5xx burst sets cckm_up to 0, keeps counters, counts the errors, and recovers")
    func serverErrorBurst() throws {
        let exporter = try ExporterUnderTest(simulator: quietSimulator())
        let before = try exporter.waitFor("first poll") { $0["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 1 }
        try exporter.simulator.injectFault(Fault(scope: .all, count: 1000, status: 503))
        let during = try exporter.waitFor("cckm_up 0") { $0["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 0 }
        #expect(during.sum("cckm_poll_errors_total", ["reason=\"http\""]) >= 1)
        #expect(during.sum("cckm_sync_jobs_finished_total") == before.sum("cckm_sync_jobs_finished_total"))
        #expect(during.sum("cckm_sync_jobs") == before.sum("cckm_sync_jobs"))
        #expect(during.sum("cckm_api_requests_total", ["code=\"503\""]) >= 1)
        exporter.simulator.clearFaults()
        let after = try exporter.waitFor("recovery") { $0["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 1 }
        #expect(after.sum("cckm_sync_jobs_finished_total") == before.sum("cckm_sync_jobs_finished_total"))
        #expect(
            after["cckm_last_poll_success_timestamp_seconds{cloud=\"aws\",cm=\"sim\"}"]!
                > before["cckm_last_poll_success_timestamp_seconds{cloud=\"aws\",cm=\"sim\"}"]!)
    }

    @Test("a job that fails is counted once, with its duration, across many polls")
    func failedJobCountedOnce() throws {
        let exporter = try ExporterUnderTest(simulator: quietSimulator())
        let before = try exporter.waitFor("first poll") { $0["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 1 }
        let failedBefore =
            before["cckm_sync_jobs_finished_total{cloud=\"aws\",cm=\"sim\",status=\"failed\"}"] ?? 0
        try exporter.simulator.insertJob(
            listing: "aws", outcome: .failed, regions: ["us-east-1", "eu-west-1"], durationSeconds: 1)
        var seen = try exporter.waitFor("the failed job") {
            $0["cckm_sync_jobs_finished_total{cloud=\"aws\",cm=\"sim\",status=\"failed\"}"] == failedBefore
                + 1
        }
        let lastSuccess = "cckm_last_poll_success_timestamp_seconds{cloud=\"aws\",cm=\"sim\"}"
        for _ in 0..<2 {  // two more polls see the same job
            let previous = seen[lastSuccess] ?? 0
            seen = try exporter.waitFor("another successful poll") { ($0[lastSuccess] ?? 0) > previous }
        }
        let later = seen
        #expect(
            later["cckm_sync_jobs_finished_total{cloud=\"aws\",cm=\"sim\",status=\"failed\"}"] == failedBefore
                + 1)
        #expect(later["cckm_sync_latest_job_status{cloud=\"aws\",cm=\"sim\",status=\"failed\"}"] == 1)
    }

    @Test("regions in progress inside a running job are exported and vanish when it is done")
    func regionsInProgress() throws {
        let exporter = try ExporterUnderTest(simulator: quietSimulator(history: 0))
        try exporter.simulator.insertJob(
            listing: "aws", outcome: .running, regions: ["123456789012/us-east-1"])
        let running = try exporter.waitFor("a region in progress") {
            $0[
                "cckm_sync_region_in_progress{cloud=\"aws\",cloud_account=\"123456789012\",cloud_region=\"us-east-1\",cm=\"sim\"}"
            ] == 1
        }
        #expect(running["cckm_sync_regions_in_progress{cloud=\"aws\",cm=\"sim\"}"] == 1)
        #expect(
            running["cckm_sync_oldest_running_job_start_timestamp_seconds{cloud=\"aws\",cm=\"sim\"}"] != nil)
    }

    @Test(
        "promtool check metrics finds nothing in the real output",
        .enabled(if: Promtool.isInstalled))
    func promtoolAcceptsOutput() throws {
        let exporter = try ExporterUnderTest(
            simulator: quietSimulator(listings: ["aws", "azure", "google"]),
            flags: ["--cm.clouds=aws,azure,google"])
        try exporter.waitFor("all listings") { m in
            ["aws", "azure", "google"].allSatisfy { m["cckm_up{cloud=\"\($0)\",cm=\"sim\"}"] == 1 }
        }
        let result = try Promtool.checkMetrics(try exporter.get("/metrics").body)
        #expect(result.status == 0)
        #expect(result.output.isEmpty, "promtool: \(result.output)")
    }
}
