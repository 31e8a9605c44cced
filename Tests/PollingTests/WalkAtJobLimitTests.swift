import CCKMClient
import CCKMSimulator
import Foundation
import JobMetrics
import Logging
import Testing

@testable import ExporterConfig
@testable import Polling

/// A complete walk that stops at the jobs limit on the listing's last page has read every
/// entry, but holds only the newest: its oldest held job is not CM's oldest.
@Suite("A walk cut at the jobs limit on its last page", .timeLimit(.minutes(2)))
struct WalkAtJobLimitTests {
    @Test("a walk cut at the jobs limit observes no oldest job: no finished id forgotten, none counted twice")
    func walkCutAtTheLimitForgetsNothing() throws {
        let cm = try PollerOnSimulator(
            SimulatorConfiguration(
                listings: ["aws"], historyPerListing: 200, newJobIntervalSeconds: 0, seed: 9),
            fullResyncInterval: .zero)
        #expect(cm.poll() == nil)
        #expect(cm.jobsHeld == 200)
        let counted = cm.finishedCounted
        // The operator lowers the jobs limit to 150 (a reload): each walk reads both pages, the
        // second one past the limit, and holds the newest 150.
        var limited = ListingPollState(listing: Listing.named("aws")!, nextPoll: cm.pollerClock.now())
        let poller = cm.poller(limits: DataLimits(listing: ListingLimits(jobs: 150)))
        for _ in 0..<3 {
            #expect(poller.poll(&limited) == nil)
            #expect(cm.jobsHeld == 150 && limited.heldPartly)
        }
        // The limit is raised again: the 50 oldest jobs come back, their finished ids known.
        #expect(cm.poll() == nil)
        #expect(cm.jobsHeld == 200)
        #expect(cm.finishedCounted == counted, "finished jobs counted twice: \(cm.finishedCounted - counted)")
    }
}

extension PollerOnSimulator {
    /// Another poller of the same CM and state (as a reload makes), with other limits.
    func poller(limits: DataLimits) -> CMPoller {
        let log = self.log
        return CMPoller(
            target: TargetConfiguration(
                name: "sim", url: simulator.baseURL, clouds: ["aws"], pageSize: 100,
                auth: AuthConfiguration(
                    username: simulator.configuration.username,
                    password: Secret(simulator.configuration.password))),
            pollInterval: .seconds(30), pollTimeout: .seconds(20), fullResyncInterval: .zero,
            limits: limits, owner: 1, state: state, logger: Logger(label: "test") { _ in log },
            clock: pollerClock)
    }
}
