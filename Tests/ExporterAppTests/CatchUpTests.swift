import CCKMClient
import CCKMSimulator
import Foundation
import JobMetrics
import Logging
import TestSupport
import Testing

@testable import ExporterApp
@testable import ExporterConfig
@testable import Polling

/// The worst day (issue 18): an outage that leaves a backlog larger than one poll can read,
/// a running job CM can no longer serve, jobs created while a backlog is read. The exporter
/// catches up page by page, never restarts, never wedges on one job, and says when its
/// metrics are behind.
@Suite("Catch-up after outages, and one job never wedges a listing", .timeLimit(.minutes(3)))
struct CatchUpTests {
    /// 4,000 jobs created during a 503 outage, pages capped at 100 by CM and 0.2 s each: the
    /// newest-jobs read needs 40 pages, 8 s against a 1 s poll timeout (polls every 2 s, as in
    /// the issue). Before catch-ups were resumable every poll timed out part-way and started
    /// again from `skip=0`: never exact, unless jobs created between two of its pages made it
    /// call the listing out of order and walk all of it (defect 1; 13 s here, 107 requests).
    @Test("after an outage with a backlog: exact within 1.3x the network floor plus an interval")
    func outageWithBacklog() throws {
        let clock = ManualClock()
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 1000, newJobIntervalSeconds: 0, regionSeconds: 1,
            seed: 18, maxPageSize: 100)
        configuration.behaviour = APIBehaviour(pageLatencySeconds: 0.2)
        let exporter = try ExporterUnderTest(
            simulator: configuration, clock: clock, flags: ["--cm.page-size=1000", "--poll.interval=2s"])
        clock.advance(by: 30)  // the history's last jobs finish
        try exporter.waitFor("up", timeout: 30) { $0["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 1 }
        let isFinished = { (job: [String: Any]) in (job["overall_status"] as? String) != "in_progress" }
        let history = try exporter.simulatorJobs()
        #expect(history.count == 1000 && history.allSatisfy(isFinished))

        try exporter.simulator.injectFault(Fault(scope: .listings, count: 0, status: 503))
        try exporter.waitFor("down", timeout: 10) { $0["cckm_up{cloud=\"aws\",cm=\"sim\"}"] == 0 }
        let backlog = 4000
        for index in 0..<backlog {
            try exporter.simulator.insertJob(
                listing: "aws", outcome: index % 10 == 0 ? .failed : .completed, durationSeconds: 0.5)
            clock.advance(by: 0.01)
        }
        clock.advance(by: 1)  // every job of the backlog has finished

        // CM lives during the catch-up: 3 jobs are created when its 5th page is asked for (they
        // push the pages down while they are read), and they run and finish meanwhile.
        exporter.simulator.clearFaults()
        try exporter.simulator.injectFault(Fault(scope: .listings, insertOnPage: 5, insertCount: 3))
        let requestsBefore = exporter.simulator.stats().listingRequests("aws")
        let recovered = ContinuousClock.now
        var sawBehind = false
        var debugShowed = false
        let exact = try exporter.waitFor("exact after the outage", timeout: 30) { metrics in
            clock.advance(by: 0.5)
            if metrics.sum("cckm_listing_catchup_backlog_jobs") > 0 && !sawBehind {
                sawBehind = true
                // The status page shows the catch-up's progress as it shows a walk's.
                let debug =
                    (try? exporter.get("/debug")).map { String(decoding: $0.body, as: UTF8.self) } ?? ""
                debugShowed = debug.contains("catch_up: ") && debug.contains(" new jobs read, about ")
            }
            return metrics.sum("cckm_sync_jobs", ["cloud=\"aws\""]) == Double(1000 + backlog + 3)
                && metrics.sum("cckm_sync_jobs_finished_total", ["cloud=\"aws\""])
                    == Double(1000 + backlog + 3)
        }
        let took = (ContinuousClock.now - recovered) / .seconds(1)
        let requests = exporter.simulator.stats().listingRequests("aws") - requestsBefore
        let expected = try exporter.simulatorJobs()  // time stands still: CM as the exporter saw it
        #expect(expected.count == 1000 + backlog + 3 && expected.allSatisfy(isFinished))
        let floor = Double(backlog / 100) * 0.2
        #expect(took <= 1.3 * floor + 2.0, "caught up in \(took)s; network floor \(floor)s, interval 2s")
        print("catch-up of \(backlog) jobs: \(took)s, \(requests) listing requests, network floor \(floor)s")
        #expect(sawBehind, "cckm_listing_catchup_backlog_jobs said the metrics were behind")
        #expect(debugShowed, "/debug showed the catch-up's progress")
        #expect(exact["cckm_listing_catchup_backlog_jobs{cloud=\"aws\",cm=\"sim\"}"] == 0)
        #expect(exact.sum("cckm_listing_walk_started_timestamp_seconds") == 0)
        // The backlog's pages, one poll's head page a second, no complete walk of the history.
        #expect(requests <= backlog / 100 + 2 + Int(took.rounded(.up)) * 2, "listing requests: \(requests)")
    }
}

/// One poller driven by hand on a manual clock against a simulator on a manual clock.
private final class HandDrivenPoller {
    let clock = ManualClock()
    let pollerClock = ManualPollerClock()
    let simulator: CCKMSimulator
    let state = ExporterState(build: BuildVersion.buildInfo)
    let poller: CMPoller
    var listing: ListingPollState

    init(_ configuration: SimulatorConfiguration, pageSize: Int, pollTimeout: Duration = .seconds(20)) throws
    {
        var configuration = configuration
        configuration.password = "hand-\(UInt32.random(in: 0...UInt32.max))"
        simulator = try CCKMSimulator(configuration: configuration, clock: clock)
        poller = CMPoller(
            target: TargetConfiguration(
                name: "sim", url: simulator.baseURL, clouds: ["aws"], pageSize: pageSize,
                auth: AuthConfiguration(
                    username: configuration.username, password: Secret(configuration.password))),
            pollInterval: .seconds(2), pollTimeout: pollTimeout, fullResyncInterval: .seconds(600),
            owner: 1, state: state, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            clock: pollerClock)
        listing = poller.initialState(Listing.named("aws")!)
    }

    deinit { simulator.shutdown() }

    /// A quiet listing of `history` finished jobs, pages of 100, after its first walk.
    static func afterFirstWalk(history: Int, seed: UInt64) throws -> HandDrivenPoller {
        let hand = try HandDrivenPoller(
            SimulatorConfiguration(
                listings: ["aws"], historyPerListing: history, newJobIntervalSeconds: 0, regionSeconds: 1,
                seed: seed),
            pageSize: 100)
        #expect(hand.poll(after: 60) == nil)
        return hand
    }

    /// Moves both clocks, then polls as the thread would (pending work run to its end).
    func poll(after seconds: Int = 2) -> CMError? {
        clock.advance(by: Double(seconds))
        pollerClock.advance(by: .seconds(seconds))
        return poller.poll(&listing)
    }

    /// Creates `count` finished jobs, 10 ms apart; returns their ids, newest last.
    @discardableResult
    func insertJobs(_ count: Int) throws -> [String] {
        try (0..<count).map { _ in
            defer { clock.advance(by: 0.01) }
            return try simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 0.1)
        }
    }

    /// Creates a backlog of `count` jobs (more than a head page); the next poll's head page
    /// opens a catch-up whose first page fails, so the poll stops there; one catch-up page is
    /// then read (pages of 100: the newest 50 and 99 more held). Returns the backlog's ids.
    @discardableResult
    func openCatchUp(backlog count: Int) throws -> [String] {
        let ids = try insertJobs(count)
        try simulator.injectFault(Fault(scope: .listings, page: 1, count: 1, delayMilliseconds: 1))
        try simulator.injectFault(Fault(scope: .listings, page: 1, count: 1, status: 403))
        #expect(poll() != nil)
        #expect(listing.progress.catchUp.isOpen)
        #expect(poller.stepCatchUp(&listing) == nil)
        return ids
    }

    var metrics: ListingMetrics { state.snapshot().listings[0] }
    var health: PollHealth { state.snapshot().health[0] }
    func jobs(_ status: String) -> UInt64 { metrics.jobsByStatus.first { $0.status == status }?.count ?? 0 }
    var finished: UInt64 { metrics.finished.map(\.histogram.count).reduce(0, +) }
    var listingRequests: Int { simulator.stats().listingRequests("aws") }
}

@Suite("Job reads and order checks under a moving listing", .timeLimit(.minutes(2)))
struct JobReadTests {
    /// A running job is deleted and CM answers its `GET …/{id}` with 500 (as a real CM was seen
    /// doing for an unknown id). Before, every poll failed on that one job: `cckm_up` 0 and no
    /// later job counted, for ever.
    @Test("a deleted running job answered 500: later jobs counted throughout, exact within 30 s")
    func deletedRunningJobAnswered500() throws {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 300, newJobIntervalSeconds: 0, regionSeconds: 1, seed: 21)
        configuration.behaviour.unknownJobStatus = 500
        let hand = try HandDrivenPoller(configuration, pageSize: 100, pollTimeout: .milliseconds(500))
        let doomed = try hand.simulator.insertJob(
            listing: "aws", outcome: .running, regions: ["us-east-1"], durationSeconds: 3600)
        hand.clock.advance(by: 1)
        // Not the newest job: deleting the newest one is seen at the head (a complete walk).
        try hand.simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 0.5)
        #expect(hand.poll(after: 60) == nil)
        let running = hand.jobs("in_progress")
        #expect(running >= 1)
        try hand.simulator.deleteJob(listing: "aws", id: doomed)

        var elapsed = 0
        var counted = hand.finished
        while hand.jobs("in_progress") == running && elapsed <= 40 {
            try hand.simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 0.5)
            #expect(hand.poll() == nil, "the poll goes on past the job it cannot read")
            elapsed += 2
            #expect(hand.finished == counted + 1, "the job finished meanwhile is counted at \(elapsed)s")
            counted = hand.finished
            #expect(hand.health.up)
        }
        // The first failed try was at the first poll after the deletion (elapsed 2).
        #expect(
            elapsed - 2 <= 30, "the deleted job left the metrics \(elapsed - 2)s after the first failed try")
        #expect(hand.jobs("in_progress") == running - 1)
        #expect(hand.metrics.runningJobs.allSatisfy { $0.id != doomed })
        #expect((hand.health.errorsTotal[.http] ?? 0) >= UInt64(JobReadRetries.triesBeforeDecision))
        #expect(hand.health.walk == nil && hand.listing.walk == nil, "no complete walk for one job")
    }

    /// 250 jobs stuck `in_progress`: 3 pages of the running set at 0.15 s each, with the head
    /// page 0.6 s against a 0.5 s poll timeout. Before, every poll read the whole running set
    /// (with the poller's real clock, every poll timed out there and applied nothing); now each
    /// poll reads what half its timeout allows and the next goes on from there.
    @Test("a running set larger than one poll can read is read over several polls")
    func largeRunningSetResumes() throws {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 300, newJobIntervalSeconds: 0, regionSeconds: 1,
            seed: 8, maxPageSize: 100)
        configuration.behaviour = APIBehaviour(pageLatencySeconds: 0.15, stuckJobs: 250)
        let hand = try HandDrivenPoller(configuration, pageSize: 100, pollTimeout: .milliseconds(500))
        #expect(hand.poll(after: 60) == nil)
        #expect(hand.jobs("in_progress") == 250)
        var counted = hand.finished
        var perPoll: [Int] = []
        for _ in 0..<6 {
            try hand.simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 0.5)
            let before = hand.listingRequests
            #expect(hand.poll() == nil)
            perPoll.append(hand.listingRequests - before)
            #expect(hand.finished == counted + 1)
            counted = hand.finished
        }
        #expect(hand.health.up && hand.jobs("in_progress") == 250)
        // The head page and one or two pages of the running set a poll; a pass in 2 or 3 polls.
        #expect(perPoll.allSatisfy { $0 <= 3 } && perPoll.reduce(0, +) >= 6 + 3, "requests: \(perPoll)")
        #expect(hand.listing.walk == nil)
    }

    /// A CM that ignores the `overall_status` filter and answers every request in 40 ms, with 40
    /// running jobs to read one by one against a 0.5 s poll timeout: each poll reads what half
    /// its timeout allows, the next goes on after the last job read, and all 40 are read (they
    /// finished meanwhile) within a few polls. Before, every poll read all 40 (1.6 s: with the
    /// poller's real clock it timed out and applied nothing, every time).
    @Test("running jobs read one by one on a CM that ignores the status filter: resumed across polls")
    func oneByOneReadsResume() throws {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 100, newJobIntervalSeconds: 0, regionSeconds: 1, seed: 12)
        configuration.behaviour.statusFilterHonoured = false
        let hand = try HandDrivenPoller(configuration, pageSize: 100, pollTimeout: .milliseconds(500))
        for _ in 0..<40 {
            try hand.simulator.insertJob(
                listing: "aws", outcome: .completed, regions: ["us-east-1"], durationSeconds: 100)
            hand.clock.advance(by: 0.01)
        }
        for _ in 0..<60 {  // below the head page: read one by one, not with the newest jobs
            try hand.simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 0.001)
            hand.clock.advance(by: 0.01)
        }
        hand.clock.advance(by: 1)
        #expect(hand.poll(after: 1) == nil)
        #expect(hand.jobs("in_progress") == 40)
        hand.clock.advance(by: 200)  // every one of them has finished
        try hand.simulator.injectFault(Fault(scope: .listings, count: 0, delayMilliseconds: 40))
        var reads: [Int] = []
        while hand.jobs("in_progress") > 0 && reads.count < 12 {
            let before = hand.simulator.stats().requests("get:aws")
            #expect(hand.poll() == nil)
            reads.append(hand.simulator.stats().requests("get:aws") - before)
        }
        #expect(hand.jobs("in_progress") == 0, "one-by-one reads per poll: \(reads)")
        #expect(reads.count >= 3 && reads.allSatisfy { $0 <= 10 }, "one-by-one reads per poll: \(reads)")
        #expect(hand.finished >= 200)
    }

    /// Jobs deleted above the catch-up's frontier move it up: the next page starts past it. The
    /// catch-up notices (no job of that page was read before, all older), asks it again, then
    /// further up; no job of the backlog is passed over, and no complete walk is needed.
    @Test("jobs deleted above a catch-up's frontier: it finds its place again, nothing passed over")
    func deletionsAboveTheFrontier() throws {
        let hand = try HandDrivenPoller.afterFirstWalk(history: 400, seed: 14)
        let ids = try hand.openCatchUp(backlog: 300)
        for id in ids[260..<280] { try hand.simulator.deleteJob(listing: "aws", id: id) }
        var steps = 0
        while hand.listing.progress.catchUp.isOpen && steps < 10 {
            #expect(hand.poller.stepCatchUp(&hand.listing) == nil)
            steps += 1
        }
        #expect(!hand.listing.progress.catchUp.isOpen && hand.listing.walk == nil, "steps: \(steps)")
        // Every job of the backlog is held (the 20 deleted ones too, until the consistency
        // check: a catch-up reads new jobs, it does not look for deletions).
        #expect(hand.metrics.jobsByStatus.map(\.count).reduce(0, +) == 700)
        // A page past the frontier, asked again as it is (on a cluster, the next node may
        // answer it in place), then further up, then full pages again.
        #expect((4...5).contains(steps), "steps: \(steps)")
    }

    /// A listing that comes oldest first (`sort` ignored, as the AWS listing may do) has its
    /// backlog at its end: the due poll reads its first page, a catch-up the rest, on to the
    /// end of the listing (the jobs created meanwhile included), page by page.
    @Test("an oldest-first listing's backlog is read page by page to its end, jobs created meanwhile too")
    func oldestFirstBacklog() throws {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 400, newJobIntervalSeconds: 0, regionSeconds: 1, seed: 16)
        configuration.behaviour = APIBehaviour(sortHonoured: false, defaultOrder: .oldestFirst)
        let hand = try HandDrivenPoller(configuration, pageSize: 100)
        #expect(hand.poll(after: 60) == nil)
        #expect(hand.listing.order == .oldestFirst)
        for _ in 0..<350 {
            try hand.simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 0.1)
            hand.clock.advance(by: 0.01)
        }
        let held = { hand.metrics.jobsByStatus.map(\.count).reduce(0, +) }
        // The due poll's page opens the catch-up; its first page then fails: the poll stops.
        try hand.simulator.injectFault(Fault(scope: .listings, count: 1, delayMilliseconds: 1))
        try hand.simulator.injectFault(Fault(scope: .listings, count: 1, status: 403))
        #expect(hand.poll() != nil)
        #expect(hand.listing.progress.catchUp.isOpen && held() < 500, "the due poll read one page: \(held())")
        // CM lives: 3 jobs are created at the end while the catch-up reads its 6th page.
        try hand.simulator.injectFault(Fault(scope: .listings, insertOnPage: 6, insertCount: 3))
        let before = hand.listingRequests
        var steps = 0
        while hand.listing.progress.catchUp.isOpen && steps < 10 {
            #expect(hand.poller.stepCatchUp(&hand.listing) == nil)
            steps += 1
        }
        #expect(!hand.listing.progress.catchUp.isOpen && hand.listing.walk == nil)
        #expect(held() == 753, "every job to the end of the listing")
        #expect(hand.listingRequests - before == steps && steps <= 5, "pages: \(steps)")
        #expect(hand.poll() == nil)
        #expect(held() == 753 && hand.listing.walk == nil)
    }

    /// Defect 1: a newest-jobs read across pages while jobs are created saw the next page start
    /// with jobs of the previous one, called the listing "not newest first" and walked it all.
    @Test("jobs created between the pages of a burst's read are the listing moving, not disorder")
    func insertionBetweenPages() throws {
        let hand = try HandDrivenPoller.afterFirstWalk(history: 400, seed: 4)
        for _ in 0..<150 {
            try hand.simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 0.1)
            hand.clock.advance(by: 0.01)
        }
        // The first request of the next poll (the head page) is left alone; the second one
        // (still page 1 for the simulator: skip < limit) finds 3 jobs created before it.
        try hand.simulator.injectFault(Fault(scope: .listings, page: 1, count: 1, delayMilliseconds: 1))
        try hand.simulator.injectFault(Fault(scope: .listings, page: 1, insertOnPage: 1, insertCount: 3))
        let before = hand.listingRequests
        #expect(hand.poll() == nil)
        let sent = hand.listingRequests - before
        let held = { hand.metrics.jobsByStatus.map(\.count).reduce(0, +) }
        #expect(held() == 550, "the 3 jobs created during the read come with the next poll")
        #expect(sent <= 4, "a head page and two catch-up pages (and the running set), no walk: \(sent)")
        #expect(hand.poll() == nil)
        #expect(held() == 553)
        #expect(hand.listing.walk == nil)
    }

    /// Defect 2: while a complete walk kept failing, incremental polls that could not be
    /// trusted recorded an empty change set as a success: the last-success timestamp moved
    /// while nothing else did.
    @Test("a poll that applied nothing because a walk is pending does not move the last success")
    func pendingWalkIsNoSuccess() throws {
        let hand = try HandDrivenPoller.afterFirstWalk(history: 400, seed: 6)
        let success = try #require(hand.health.lastSuccessTimestamp)
        // The newest known job goes: incremental polls cannot trust the head any more, and the
        // walk they start fails on its second page for as long as the test runs.
        let newest = try hand.simulator.insertJob(listing: "aws", outcome: .completed, durationSeconds: 0.1)
        #expect(hand.poll() == nil)
        let afterNewest = try #require(hand.health.lastSuccessTimestamp)
        #expect(afterNewest > success)
        try hand.simulator.deleteJob(listing: "aws", id: newest)
        try hand.simulator.injectFault(Fault(scope: .listings, page: 2, count: 0, status: 403))
        for _ in 0..<3 {
            #expect(hand.poll() != nil, "the walk's second page fails")
            #expect(hand.health.lastSuccessTimestamp == afterNewest)
        }
        #expect(hand.listing.walk != nil)
    }
}

@Suite("A catch-up under a burst at the head", .timeLimit(.minutes(2)))
struct CatchUpBurstTests {
    /// A burst of a page less one job at the head while a catch-up reads its gap pushes the page
    /// it asks next up into what it has read: the frontier is the page's last entry, nothing
    /// new. Before, the step returned at once with nothing read and no wait, and the polling
    /// thread asked the identical page again as fast as CM answered, until the next due poll.
    @Test("a burst that pushes the next page into what the gap read: it waits for the head read")
    func burstAboveTheFrontierWaitsForTheHeadRead() throws {
        let hand = try HandDrivenPoller.afterFirstWalk(history: 400, seed: 22)
        try hand.openCatchUp(backlog: 300)
        try hand.insertJobs(99)  // a page less one, between two polls
        // As the polling thread does between due polls: a page whenever one is ready.
        let before = hand.listingRequests
        var steps = 0
        while hand.listing.hasWorkReady(at: hand.pollerClock.now()) && steps < 20 {
            #expect(hand.poller.stepCatchUp(&hand.listing) == nil)
            steps += 1
        }
        #expect(hand.listingRequests - before <= 2, "catch-up requests before the next poll: \(steps)")
        #expect(hand.listing.progress.catchUp.isOpen)
        // The next due poll reads the burst; the catch-up then goes on and ends, nothing missed.
        #expect(hand.poll() == nil)
        #expect(!hand.listing.progress.catchUp.isOpen && hand.listing.walk == nil)
        #expect(hand.metrics.jobsByStatus.map(\.count).reduce(0, +) == 799)
    }
}
