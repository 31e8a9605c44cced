import CCKMClient
import CCKMSimulator
import Foundation
import JobMetrics
import Logging
import Testing

@testable import ExporterConfig
@testable import Polling

/// Complete listings are applied page by page into a build that replaces the listing's
/// state only when the whole walk succeeded.
@Suite("Resumable complete walks", .timeLimit(.minutes(3)))
struct StreamingListingTests {
    @Test("a walk failing on page 3 changes no metric, and goes on from page 3")
    func failedWalkChangesNothing() throws {
        let clock = ManualClock()
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 200, newJobIntervalSeconds: 0.5, regionSeconds: 1,
            parallelRegions: 2, failureRate: 0.2, abortRate: 0.15, seed: 17)
        configuration.password = "stream-\(UInt32.random(in: 0...UInt32.max))"
        let simulator = try CCKMSimulator(configuration: configuration, clock: clock)
        defer { simulator.shutdown() }
        let state = ExporterState(
            build: BuildInfo(version: "test", revision: "test", swiftVersion: "6"))
        let poller = CMPoller(
            target: TargetConfiguration(
                name: "sim", url: simulator.baseURL, clouds: ["aws"], pageSize: 40,
                auth: AuthConfiguration(
                    username: configuration.username, password: Secret(configuration.password))),
            // Every poll walks the whole listing.
            pollInterval: .seconds(30), pollTimeout: .seconds(20), fullResyncInterval: .zero,
            owner: 1, state: state, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let key = ListingKey(cm: "sim", cloud: "aws")
        var listing = poller.initialState(Listing.named("aws")!)

        #expect(poller.poll(&listing) == nil)
        let before = state.snapshot()
        let knownBefore = state.knownJobs(key)?.count
        #expect(before.listings[0].jobsByStatus.map(\.count).reduce(0, +) >= 200)

        // Jobs progress and finish, then the third page of the next walk fails (after two
        // good pages were applied to the build). Pages overlap by one entry: the third is asked
        // from skip=78, the simulator's page 2 (skip / limit + 1).
        clock.advance(by: 30)
        try simulator.injectFault(Fault(scope: .listings, status: 403, insertOnPage: 2, insertCount: 1))
        let requestsBefore = simulator.stats().listingRequests("aws")
        #expect(poller.poll(&listing)?.reason == .auth)
        #expect(simulator.stats().listingRequests("aws") - requestsBefore == 3)
        #expect(listing.walk?.walk.pages == 2)
        #expect(state.snapshot().health[0].walk?.failedPages == 1)

        let after = state.snapshot()
        #expect(after.listings == before.listings)
        #expect(state.knownJobs(key)?.count == knownBefore)
        #expect(after.health[0].up == false)
        #expect(after.health[0].errorsTotal[.auth] == 1)
        #expect(after.health[0].lastSuccessTimestamp == before.health[0].lastSuccessTimestamp)

        // The walk goes on from the page that failed, and shows what happened meanwhile.
        let pagesLeft = (state.snapshot().health[0].walk?.total ?? 0) / 40 + 1 - 2
        let resumedFrom = simulator.stats().listingRequests("aws")
        #expect(poller.poll(&listing) == nil)
        #expect(listing.walk == nil)
        #expect(simulator.stats().listingRequests("aws") - resumedFrom <= pagesLeft + 1)
        let recovered = state.snapshot()
        #expect(recovered.health[0].up)
        #expect(recovered.listings != before.listings)
        #expect(
            recovered.listings[0].finished.map(\.histogram.count).reduce(0, +)
                > before.listings[0].finished.map(\.histogram.count).reduce(0, +))
    }

    @Test("an incremental poll whose answers cannot be trusted starts a complete walk, same metrics")
    func fallbackIsStreamed() throws {
        let clock = ManualClock()
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 200, newJobIntervalSeconds: 0, failureRate: 0.2,
            abortRate: 0.1, seed: 23)
        configuration.password = "fallback-\(UInt32.random(in: 0...UInt32.max))"
        let simulator = try CCKMSimulator(configuration: configuration, clock: clock)
        defer { simulator.shutdown() }
        let target = TargetConfiguration(
            name: "sim", url: simulator.baseURL, clouds: ["aws"], pageSize: 40,
            auth: AuthConfiguration(
                username: configuration.username, password: Secret(configuration.password)))
        func make(_ owner: Int, resync: Duration) -> (CMPoller, ExporterState) {
            let state = ExporterState(
                build: BuildInfo(version: "test", revision: "test", swiftVersion: "6"))
            let poller = CMPoller(
                target: target, pollInterval: .seconds(30), pollTimeout: .seconds(20),
                fullResyncInterval: resync, owner: owner, state: state,
                logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            return (poller, state)
        }
        let (incremental, incrementalState) = make(1, resync: .seconds(3600))
        let (complete, completeState) = make(2, resync: .zero)
        var incrementalListing = incremental.initialState(Listing.named("aws")!)
        var completeListing = complete.initialState(Listing.named("aws")!)
        let newestKnown = try simulator.insertJob(listing: "aws", outcome: .completed)
        clock.advance(by: 5)
        #expect(incremental.poll(&incrementalListing) == nil)
        #expect(complete.poll(&completeListing) == nil)  // both count the job about to go

        // More new jobs than the first head page holds, read by a catch-up; but the newest
        // job known before is gone: the first known job it meets is not the one it must meet,
        // and the lister falls back to a complete listing.
        try simulator.deleteJob(listing: "aws", id: newestKnown)
        for index in 0..<60 {
            try simulator.insertJob(listing: "aws", outcome: index % 4 == 0 ? .failed : .completed)
        }
        clock.advance(by: 10)
        let before = simulator.stats().listingRequests("aws")
        #expect(incremental.poll(&incrementalListing) == nil)
        let sent = simulator.stats().listingRequests("aws") - before
        #expect(sent > 4, "the walk reads the whole listing: \(sent) requests")

        #expect(complete.poll(&completeListing) == nil)
        let expected = completeState.snapshot().listings
        #expect(incrementalState.snapshot().listings == expected)
        #expect(expected[0].jobsByStatus.map(\.count).reduce(0, +) == 260)
    }
}
