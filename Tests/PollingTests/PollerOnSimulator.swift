import CCKMClient
import CCKMSimulator
import Foundation
import JobMetrics
import Testing

@testable import ExporterConfig
@testable import Polling

/// One poller driven poll by poll against a simulator, both on manual clocks that move
/// together (CM's also by `secondsPerRequest` for each request it answers,
/// ``LifeSettings/requestSeconds``); its log lines are kept so a test can count complete walks
/// and warnings.
final class PollerOnSimulator {
    let simulatorClock = ManualClock()
    let pollerClock = ManualPollerClock()
    let simulator: CCKMSimulator
    /// The poller, driven poll by poll as ``SteppedPoller`` drives it, on ``pollerClock``.
    let stepped: SteppedPoller
    let log = LogRecorder()
    let key = ListingKey(cm: "sim", cloud: "aws")

    var poller: CMPoller { stepped.poller }
    var state: ExporterState { stepped.state }
    var listing: ListingPollState {
        get { stepped.listing }
        set { stepped.listing = newValue }
    }

    init(
        _ configuration: SimulatorConfiguration, pageSize: Int = 100, limits: DataLimits = DataLimits(),
        pollInterval: Duration = .seconds(30), pollTimeout: Duration = .seconds(20),
        fullResyncInterval: Duration = .seconds(600),
        walkTimeout: Duration = .seconds(3600), secondsPerRequest: Double = 0
    ) throws {
        var configuration = configuration
        configuration.life.requestSeconds = secondsPerRequest
        configuration.password = "harness-\(UInt32.random(in: 0...UInt32.max))"
        simulator = try CCKMSimulator(configuration: configuration, clock: simulatorClock)
        stepped = SteppedPoller(
            target: TargetConfiguration(
                name: "sim", url: simulator.baseURL, clouds: ["aws"], pageSize: pageSize,
                auth: AuthConfiguration(
                    username: configuration.username, password: Secret(configuration.password))),
            pollInterval: pollInterval, pollTimeout: pollTimeout, fullResyncInterval: fullResyncInterval,
            walkTimeout: walkTimeout, limits: limits, clock: pollerClock, log: log)
    }

    deinit { simulator.shutdown() }

    /// Moves both clocks.
    func advance(seconds: Double) {
        simulatorClock.advance(by: seconds)
        pollerClock.advance(by: .milliseconds(Int64(seconds * 1000)))
    }

    /// One due poll, with any walk it starts run to its end.
    @discardableResult
    func poll() -> CMError? { stepped.pollFailure() }

    /// Complete walks that ended so far.
    var completeWalks: Int { log.completeWalks.count }

    /// Jobs held, by the gauges.
    var jobsHeld: UInt64 { state.snapshot().listings[0].jobsByStatus.map(\.count).reduce(0, +) }

    /// Finished jobs counted, by the counters.
    var finishedCounted: UInt64 { state.snapshot().listings[0].finished.map(\.histogram.count).reduce(0, +) }
}
