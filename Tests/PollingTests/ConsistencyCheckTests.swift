import CCKMClient
import CCKMSimulator
import Foundation
import JobMetrics
import Testing

@testable import ExporterConfig
@testable import Polling

/// The consistency check on a CM that keeps moving: jobs created or finished while it reads
/// the totals start no walk, a purge is repaired from the listing's far end without a walk,
/// and a mismatch a fresh walk does not explain is remembered instead of walked for ever.
@Suite("Consistency check", .timeLimit(.minutes(3)))
struct ConsistencyCheckTests {
    @Test(
        "a CM creating 1 or 5 jobs a minute is walked once, at the start, over two hours of checks",
        arguments: [1.0, 5.0])
    func busyCMIsNotWalked(jobsPerMinute: Double) throws {
        let cm = try PollerOnSimulator(
            SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 300, newJobIntervalSeconds: 60 / jobsPerMinute,
                regionSeconds: 20, parallelRegions: 2, failureRate: 0.2, abortRate: 0.1, seed: 21),
            secondsPerRequest: 1.4)
        #expect(cm.poll() == nil)
        for _ in 0..<240 {
            cm.advance(seconds: 30)
            #expect(cm.poll() == nil)
        }
        #expect(cm.jobsHeld >= 300 + UInt64(100 * jobsPerMinute), "the CM moved on: \(cm.jobsHeld) jobs")
        #expect(
            cm.completeWalks == 1,
            "walks: \(cm.log.entries.filter { $0.message.contains("walk") }.map(\.metadata))")
        #expect(cm.log.count("consistency check found a mismatch") == 0)
    }

    @Test(
        "a purge is repaired from the listing's far end in a few requests, no walk, counters unchanged",
        arguments: [APIBehaviour(), APIBehaviour(sortHonoured: false, defaultOrder: .oldestFirst)])
    func purgeRepairedWithoutAWalk(behaviour: APIBehaviour) throws {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 400, newJobIntervalSeconds: 0, seed: 13)
        configuration.behaviour = behaviour
        let cm = try PollerOnSimulator(configuration)
        #expect(cm.poll() == nil)
        #expect(cm.jobsHeld == 400)
        let counted = cm.finishedCounted
        try cm.simulator.purgeOldest(listing: "aws", count: 150)
        cm.advance(seconds: 600)
        let before = cm.simulator.stats().listingRequests("aws")
        #expect(cm.poll() == nil)
        let sent = cm.simulator.stats().listingRequests("aws") - before
        #expect(cm.jobsHeld == 250, "exact within one check")
        #expect(cm.finishedCounted == counted)
        #expect(cm.completeWalks == 1, "only the first walk")
        #expect(cm.log.count("purge repaired without a complete walk") == 1)
        // The poll, then totals and a poll, the far end, totals and a poll again.
        #expect(sent <= 1 + 6 + 1 + 6 + 2, "requests: \(sent)")
        cm.advance(seconds: 600)
        #expect(cm.poll() == nil)
        #expect(cm.completeWalks == 1)
        #expect(cm.jobsHeld == 250)
    }

    @Test("a mismatch a fresh walk does not explain starts no more walks, is logged once and shown")
    func persistentMismatchIsRemembered() throws {
        let cm = try PollerOnSimulator(
            SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 120, newJobIntervalSeconds: 0, seed: 4))
        #expect(cm.poll() == nil)
        // Every `total` counts five entries the listing never shows (CM's scoping, say).
        try cm.simulator.injectFault(Fault(scope: .listings, count: 0, totalLies: 5))
        for _ in 0..<6 {
            cm.advance(seconds: 600)
            #expect(cm.poll() == nil)
        }
        #expect(cm.completeWalks == 2, "the first walk, and one for the mismatch")
        #expect(cm.log.count("a complete walk did not explain CM's totals") == 1)
        #expect(cm.state.snapshot().health[0].consistencyNote?.contains("total +5") == true)
        cm.simulator.clearFaults()
        cm.advance(seconds: 600)
        #expect(cm.poll() == nil)
        #expect(cm.state.snapshot().health[0].consistencyNote == nil)
        #expect(cm.completeWalks == 2)
    }

    @Test("a walk for a mismatch that timed out explained nothing: the mismatch is walked for again")
    func timedOutWalkIsNoProof() throws {
        let cm = try PollerOnSimulator(
            SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 150, newJobIntervalSeconds: 0, seed: 4),
            walkTimeout: .seconds(60))
        #expect(cm.poll() == nil)
        // The walk's second page fails once; every `total` counts five entries too many.
        try cm.simulator.injectFault(Fault(scope: .listings, page: 2, count: 1, status: 403))
        try cm.simulator.injectFault(Fault(scope: .listings, count: 0, totalLies: 5))
        cm.advance(seconds: 600)
        #expect(cm.poll()?.reason == .auth, "the check's walk stopped at page 2")
        cm.advance(seconds: 120)
        #expect(cm.poll()?.reason == .timeout, "and outlived the walk timeout")
        #expect(cm.completeWalks == 1)
        cm.advance(seconds: 600)
        #expect(cm.poll() == nil)
        #expect(cm.completeWalks == 2, "walked for again")
        #expect(cm.log.count("a complete walk did not explain CM's totals") == 0)
        cm.advance(seconds: 600)
        #expect(cm.poll() == nil)
        #expect(cm.completeWalks == 2)
        #expect(cm.log.count("a complete walk did not explain CM's totals") == 1)
    }
}
