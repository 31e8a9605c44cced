import CCKMClient
import ExporterConfig
import Foundation
import JobMetrics
import Logging
import Synchronization

/// The poller of one listing driven poll by poll on a clock the caller moves: the property
/// test, `cckm-bench --living-cm` and `--busy-cm` run it against a simulated CM whose time is
/// simulated, so hours of polling take seconds and a seed replays exactly. Each ``poll()`` is the real
/// ``CMPoller``'s due poll (incremental, consistency check, or the start of a complete walk)
/// with any walk it starts run to its end, as the polling thread does when no other listing is
/// due.
public final class SteppedPoller {
    let poller: CMPoller
    let state: ExporterState
    private let clock: any PollerClock
    private let walks: CompleteWalkLog
    var listing: ListingPollState

    /// A poller of `cloud` on the CM at `url`, whose clock reads `simulatedTime` (seconds since
    /// the epoch; it must never go back).
    public convenience init(
        url: String, username: String, password: String, cloud: String, pageSize: Int,
        pollInterval: Duration, pollTimeout: Duration = .seconds(20), fullResyncInterval: Duration,
        simulatedTime: @escaping @Sendable () -> Double
    ) {
        self.init(
            target: TargetConfiguration(
                name: "sim", url: url, clouds: [cloud], pageSize: pageSize,
                auth: AuthConfiguration(username: username, password: Secret(password))),
            pollInterval: pollInterval, pollTimeout: pollTimeout, fullResyncInterval: fullResyncInterval,
            clock: SimulatedPollerClock(simulatedTime))
    }

    /// A poller of the target's first listing on any clock (the tests' ``ManualPollerClock``),
    /// with the poller's other settings; `log`, when given, also gets every line it logs.
    init(
        target: TargetConfiguration, pollInterval: Duration, pollTimeout: Duration,
        fullResyncInterval: Duration,
        walkTimeout: Duration = ExporterConfiguration.defaultWalkTimeout, limits: DataLimits = DataLimits(),
        clock: any PollerClock, log: (any LogHandler)? = nil
    ) {
        self.clock = clock
        let walks = CompleteWalkLog()
        self.walks = walks
        state = ExporterState(
            build: BuildInfo(version: "stepped", revision: "stepped", swiftVersion: "6")
        )
        let handler: any LogHandler = log.map { MultiplexLogHandler([walks, $0]) } ?? walks
        poller = CMPoller(
            target: target, pollInterval: pollInterval, pollTimeout: pollTimeout,
            fullResyncInterval: fullResyncInterval, walkTimeout: walkTimeout, limits: limits, owner: 1,
            state: state, logger: Logger(label: "stepped") { _ in handler }, clock: clock)
        listing = poller.initialState(Listing.named(target.clouds[0])!)
    }

    /// One due poll; the error's reason and message when it failed.
    @discardableResult
    public func poll() -> String? {
        pollFailure().map { "\($0.reason.rawValue): \($0.message)" }
    }

    /// One due poll, with any walk it starts run to its end; the error when it failed.
    @discardableResult
    func pollFailure() -> CMError? { poller.poll(&listing) }

    /// True when the next ``poll()`` also runs the consistency check.
    public var checkIsDue: Bool {
        listing.nextCheck.map { $0 <= clock.now() } ?? false
    }

    /// The listing's metrics as `/metrics` would show them now.
    public var metrics: ListingMetrics { state.snapshot().listings[0] }

    /// Whether the last poll succeeded (`cckm_up`).
    public var up: Bool { state.snapshot().health[0].up }

    /// Complete walks applied so far, the first one included.
    public var completeWalks: Int { walks.reasons.count }

    /// Why each complete walk ran, in order.
    public var walkReasons: [String] { walks.reasons }

    /// The `why` of a complete walk when a log line is the one that says it ended (`poll
    /// finished` with `mode=complete`).
    static func completeWalkReason(message: String, metadata: [String: String]) -> String? {
        guard message == "poll finished", metadata["mode"] == "complete" else { return nil }
        return metadata["why"] ?? "?"
    }
}

/// The poller's clocks read from the caller's simulated time. The monotonic clock starts a day
/// ahead of the real one: a request's deadline is checked against real time, and simulated
/// time must not make it look past.
final class SimulatedPollerClock: PollerClock {
    private let time: @Sendable () -> Double
    private let start: Double
    private let origin = ContinuousClock.now + .seconds(86_400)

    init(_ time: @escaping @Sendable () -> Double) {
        self.time = time
        start = time()
    }

    func now() -> ContinuousClock.Instant { origin + .seconds(time() - start) }
    func wallTime() -> Double { time() }
    func sleep(until deadline: ContinuousClock.Instant, stop: StopSignal) -> Bool { stop.isStopped }
}

/// The complete walks a poller applies, from its `poll finished mode=complete` lines: the `why`
/// of each (not every line, as the tests' log recorder keeps: a run may log for hours).
private final class CompleteWalkLog: LogHandler, @unchecked Sendable {
    private let kept = Mutex<[String]>([])
    var reasons: [String] { kept.withLock { $0 } }
    var logLevel: Logger.Level = .debug
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let metadata = (event.metadata ?? [:]).mapValues(\.description)
        if let why = SteppedPoller.completeWalkReason(message: event.message.description, metadata: metadata)
        {
            kept.withLock { $0.append(why) }
        }
    }
}
