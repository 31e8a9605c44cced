import CCKMSimulator
import Foundation
import JobMetrics
import Polling

/// One seeded life of a living CM under one ``SteppedPoller``, on simulated time: a history,
/// then ``LivingCMPlan/lifePolls`` polls 10 s apart while jobs are created (a burst bigger than
/// a page every 70 s), progress, fail, get cancelled (some ending `completed`), get purged,
/// while pages fail with 5xx and each request takes 50 ms; an outage that a burst falls into,
/// and running jobs deleted. Then quiet, polled until the exporter must have converged.
///
/// What it records is what the property test asserts: the polls at which the metrics equal the
/// simulator's ground truth, counters that went down or above the truth, quiet polls that began
/// and ended equal to the truth yet cost more than 1 + ⌈running / page size CM serves⌉ per
/// listing, plus one `GET` per job that finished since,
/// plus a consistency check's 5 totals and the incremental poll it compares them with.
final class LivingCMRun {
    static let pollInterval = 10.0
    static let pageSize = 100
    static let maxPageSize = 1000
    static let fullResyncSeconds = 60.0
    /// Quiet polls by which the exporter must equal the truth: jobs running at the quiet end
    /// (≤ 20 s), the cluster's lag, and one consistency check (a purge shows only there), + 2.
    static let convergencePolls = Int(((20 + 5 + fullResyncSeconds) / pollInterval).rounded(.up)) + 2
    /// Quiet polls after that, each of which must still equal the truth.
    static let stablePolls = 4

    let scenario: LivingCMScenario
    let seed: UInt64
    let clock = ManualClock()
    let simulator: CCKMSimulator
    let poller: SteppedPoller

    /// The differences with the truth after each quiet poll (1-based; empty: all equal).
    private(set) var quietDifferences: [(poll: Int, differences: [String])] = []
    private(set) var counterDrops: [String] = []
    private(set) var overCounts: [String] = []
    private(set) var costOverruns: [String] = []
    private(set) var failedQuietPolls: [String] = []
    private var lastCounters: [String: Double] = [:]

    init(_ scenario: LivingCMScenario, seed: UInt64) throws {
        self.scenario = scenario
        self.seed = seed
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 300, newJobIntervalSeconds: 2, regionSeconds: 3,
            parallelRegions: 2, failureRate: 0.15, abortRate: 0.15, seed: seed,
            maxPageSize: Self.maxPageSize)
        configuration.password = "living-\(UInt32.random(in: 0...UInt32.max))"
        configuration.behaviour = scenario.behaviour
        configuration.life = LifeSettings(
            burstIntervalSeconds: 70, burstSize: 130, cancelledCompletedShare: 0.4, purgeIntervalSeconds: 50,
            purgeCount: 15, serverErrorRate: 0.02, requestSeconds: 0.05)
        simulator = try CCKMSimulator(configuration: configuration, clock: clock)
        let clock = clock
        poller = SteppedPoller(
            url: simulator.baseURL, username: configuration.username, password: configuration.password,
            cloud: "aws", pageSize: Self.pageSize, pollInterval: .seconds(Self.pollInterval),
            fullResyncInterval: .seconds(Self.fullResyncSeconds), simulatedTime: { clock.now() })
    }

    deinit { simulator.shutdown() }

    /// The whole run: life with an outage and a deletion, then quiet.
    func run() throws {
        let lifePolls = LivingCMPlan.lifePolls
        for step in 0..<lifePolls {
            if step == lifePolls / 2 {
                // The burst due at 140 s falls into it: a backlog piles up behind the outage.
                try simulator.startOutage(Outage(status: 503, seconds: 25))
            }
            if step == lifePolls * 2 / 3 {
                try simulator.deleteRunningJobs(listing: "aws", count: 2)
            }
            poller.poll()
            try noteCounters(after: "life poll \(step)")
            clock.advance(by: Self.pollInterval)
        }
        try simulator.updateLife(LifeSettings())
        var settings = simulator.settings()
        settings.newJobIntervalSeconds = 0
        try simulator.updateSettings(settings)
        var finishedBefore = 0
        for quiet in 1...(Self.convergencePolls + Self.stablePolls) {
            clock.advance(by: Self.pollInterval)
            let checking = poller.checkIsDue
            let before = simulator.stats()
            let failure = poller.poll()
            let after = simulator.stats()
            try noteCounters(after: "quiet poll \(quiet)")
            if let failure { failedQuietPolls.append("quiet poll \(quiet): \(failure)") }
            let truth = try simulator.truth(listing: "aws")
            let differences = LivingCMComparison.differences(poller.metrics, truth)
            quietDifferences.append((quiet, differences))
            let alreadyEqual =
                quietDifferences.count >= 2
                && quietDifferences[quietDifferences.count - 2].differences.isEmpty
            if differences.isEmpty && alreadyEqual {
                // A token that expired costs a login and the request again: not the listing's.
                let sent =
                    after.listingRequests("aws") + after.requests("get:aws")
                    - before.listingRequests("aws") - before.requests("get:aws")
                    - (after.unauthorizedRequests - before.unauthorizedRequests)
                let page = scenario.servedPageSize(asked: Self.pageSize, maxPageSize: Self.maxPageSize)
                // One GET per job that finished since the last poll, as documented.
                let finished = truth.finished.values.map(\.count).reduce(0, +) - finishedBefore
                // A consistency check: `limit=1` of the listing and of its 4 statuses, and the
                // incremental poll it compares what is held before and after with.
                let poll = 1 + (truth.running + page - 1) / page
                let bound = poll + finished + (checking ? 5 + poll : 0)
                if sent > bound {
                    costOverruns.append(
                        "quiet poll \(quiet): \(sent) requests, at most \(bound) (\(truth.running) running, pages of \(page), \(finished) finished since the last poll\(checking ? ", consistency check" : ""))"
                    )
                }
            }
            finishedBefore = truth.finished.values.map(\.count).reduce(0, +)
        }
    }

    /// The first quiet poll from which every later one equalled the truth; nil if the last did not.
    var convergedAt: Int? {
        var first: Int?
        for (poll, differences) in quietDifferences {
            if differences.isEmpty { first = first ?? poll } else { first = nil }
        }
        return first
    }

    /// The differences at the last quiet poll.
    var lastDifferences: [String] { quietDifferences.last?.differences ?? [] }

    /// Counters that went down since the last poll, and counts above the truth's (a job can
    /// be counted only once it finished, so more than the simulator ever had is a job counted
    /// twice, even while a lagging node or an outage keeps other figures behind).
    private func noteCounters(after when: String) throws {
        let metrics = poller.metrics
        let counters = LivingCMComparison.counters(metrics)
        for (name, value) in lastCounters where (counters[name] ?? 0) < value {
            counterDrops.append("\(when): \(name) went from \(value) to \(counters[name] ?? 0)")
        }
        lastCounters = counters
        let truth = try simulator.truth(listing: "aws")
        for finished in metrics.finished
        where Int(finished.histogram.count) > truth.finished[finished.status]?.count ?? 0 {
            overCounts.append(
                "\(when): \(finished.histogram.count) \(finished.status) counted, the simulator had \(truth.finished[finished.status]?.count ?? 0)"
            )
        }
        if Int(metrics.cancelled) > truth.cancelled {
            overCounts.append(
                "\(when): \(metrics.cancelled) cancelled counted, the simulator had \(truth.cancelled)")
        }
    }
}
