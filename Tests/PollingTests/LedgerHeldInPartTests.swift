import CCKMClient
import CCKMSimulator
import Foundation
import JobMetrics
import Testing

@testable import ExporterConfig
@testable import Polling

/// A listing with more jobs than `--cm.max-jobs` is held in part: its walks end at the limit
/// and observe no oldest job, and no consistency check runs. Its far end, read on the check's
/// schedule, still tells CM's oldest job, so the finished ids CM no longer lists are forgotten.
@Suite("The finished-jobs ledger of a listing held in part", .timeLimit(.minutes(3)))
struct LedgerHeldInPartTests {
    @Test(
        "held in part: the finished ids of purged jobs are forgotten from the far end, no walk, counters unchanged"
    )
    func ledgerPrunedWhileHeldInPart() throws {
        let cm = try PollerOnSimulator(
            SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 200, newJobIntervalSeconds: 0, seed: 9),
            limits: DataLimits(listing: ListingLimits(jobs: 150)))
        #expect(cm.poll() == nil)
        #expect(cm.jobsHeld == 150 && cm.listing.heldPartly)
        let tracked = try #require(cm.state.trackedFinishedJobs(cm.key, owner: 1))
        let counted = cm.finishedCounted
        try cm.simulator.purgeOldest(listing: "aws", count: 120)
        for _ in 0..<2 {
            cm.advance(seconds: 600)
            #expect(cm.poll() == nil)
        }
        let left = try #require(cm.state.trackedFinishedJobs(cm.key, owner: 1))
        #expect(left < tracked, "finished ids tracked: \(tracked) before the purge, \(left) after two checks")
        #expect(left >= 80 - 1, "the 80 jobs CM still lists keep theirs (but a running one)")
        #expect(cm.finishedCounted == counted)
        #expect(cm.completeWalks == 1)
    }
}
