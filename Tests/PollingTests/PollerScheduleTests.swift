import CCKMClient
import CCKMSimulator
import Foundation
import JobMetrics
import Logging
import TestSupport
import Testing

@testable import ExporterConfig
@testable import Polling

/// The polling thread schedules on the monotonic clock of its ``PollerClock``: time moves only
/// when the test advances it, and a wall clock stepped backwards (an NTP correction) neither
/// stalls polling nor moves the schedule; exported timestamps follow the wall clock.
@Suite("Poll schedule on a monotonic clock", .timeLimit(.minutes(3)))
struct PollerScheduleTests {
    @Test("a wall clock stepped back an hour does not delay the next poll")
    func wallClockStepBack() throws {
        var configuration = SimulatorConfiguration(
            listings: ["aws"], historyPerListing: 20, newJobIntervalSeconds: 0, seed: 2)
        configuration.password = "schedule-\(UInt32.random(in: 0...UInt32.max))"
        let simulator = try CCKMSimulator(configuration: configuration, clock: ManualClock())
        defer { simulator.shutdown() }
        let clock = ManualPollerClock(wallTime: 1_800_000_000)
        let state = ExporterState(
            build: BuildInfo(version: "test", revision: "test", swiftVersion: "6"))
        let poller = CMPoller(
            target: TargetConfiguration(
                name: "sim", url: simulator.baseURL, clouds: ["aws"],
                auth: AuthConfiguration(
                    username: configuration.username, password: Secret(configuration.password))),
            pollInterval: .seconds(30), pollTimeout: .seconds(20), owner: 1, state: state,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, clock: clock)
        poller.start()
        defer { poller.stop() }
        let requests = { simulator.stats().listingRequests("aws") }
        try waitUntil("the first walk") { state.isReady }
        #expect(state.snapshot().health[0].lastSuccessTimestamp == 1_800_000_000)
        let afterWalk = requests()

        clock.advance(by: .seconds(29))
        // Nothing is due before 30 s: the poller must still be asleep once the head request of
        // a due poll would have been answered.
        try waitUntil("a due poll, had one been due", timeout: 0.3, expectTimeout: true) {
            requests() > afterWalk
        }
        #expect(requests() == afterWalk)

        clock.stepWallClock(by: -3600)
        clock.advance(by: .seconds(1))
        try waitUntil("the poll due at 30 s") { requests() > afterWalk }
        try waitUntil("its result") {
            state.snapshot().health[0].lastSuccessTimestamp == 1_800_000_000 - 3600 + 30
        }
    }
}
