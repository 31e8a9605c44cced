import CCKMClient
import CMWire
import ExporterConfig
import Foundation
import JobMetrics
import Logging

/// Polls every listing of one CipherTrust Manager on its own thread: log in (the client keeps
/// the JWT fresh), poll each listing when it is due, hand what changed to ``ExporterState``.
/// One CM's slowness never delays another's.
///
/// A listing starts with a **complete walk** (``CompleteWalk``): resumable, one page at a time
/// between the due polls of the CM's other listings, bounded by the walk timeout and not by
/// the poll timeout, a failed page retried where it failed. Once a walk has ended, polls are
/// **incremental** (``IncrementalLister``: newest jobs, the running set, the jobs that left it;
/// each poll bounded by the poll timeout), and every `fullResyncInterval` a cheap **consistency
/// check** (``CMClient/totals(_:statuses:deadline:sent:)``) compares the listing's totals with
/// what is held; only a mismatch, an answer incremental polling cannot trust, or a listing in
/// no usable order starts another walk, while incremental polls keep the metrics moving.
///
/// Polls are scheduled on the monotonic clock of the injected ``PollerClock``. Where each part
/// lives: the thread and when each listing is due in `CMPoller+Schedule.swift`; one listing's
/// due poll (incremental, then the consistency check when due) in `CMPoller+DuePoll.swift`; the
/// complete walk in `CMPoller+CompleteWalk.swift`; the catch-up in `CMPoller+CatchUp.swift`; the
/// consistency check in `ConsistencyCheck.swift`; what a poll's outcome records and logs (state
/// changes said once) in `CMPoller+PollLog.swift`; what is kept of a listing between polls in
/// `ListingPollState.swift`.
final class CMPoller: Sendable {
    let target: TargetConfiguration
    let owner: Int
    let pollInterval: Duration
    let pollTimeout: Duration
    let fullResyncInterval: Duration
    let walkTimeout: Duration
    let limits: DataLimits
    let state: ExporterState
    let logger: Logger
    let clock: any PollerClock
    let stopSignal = StopSignal()
    let client: CMClient
    let lister: IncrementalLister

    init(
        target: TargetConfiguration, pollInterval: Duration, pollTimeout: Duration,
        fullResyncInterval: Duration = ExporterConfiguration.defaultFullResyncInterval,
        walkTimeout: Duration = ExporterConfiguration.defaultWalkTimeout, limits: DataLimits = DataLimits(),
        owner: Int, state: ExporterState, logger: Logger, clock: any PollerClock = SystemPollerClock()
    ) {
        self.target = target
        self.owner = owner
        self.pollInterval = pollInterval
        self.pollTimeout = pollTimeout
        self.fullResyncInterval = fullResyncInterval
        self.walkTimeout = walkTimeout
        self.limits = limits
        self.state = state
        self.clock = clock
        var logger = logger
        logger[metadataKey: "cm"] = "\(target.name)"
        self.logger = JournalLogHandler.wrapping(logger, journal: state.journal, cm: target.name)
        let transport = HTTPTransport(
            settings: target.transportSettings(
                pollTimeout: pollTimeout, maxResponseBytes: limits.responseBytes))
        let cm = target.name
        client = CMClient(
            baseURL: target.url, credentials: target.clientCredentials, transport: transport,
            pageSize: target.pageSize, files: target.credentialFiles, loginRetryInterval: pollInterval,
            onCredentialEvent: Self.credentialEventHandler(cm: cm, logger: self.logger, state: state),
            now: { [clock] in clock.now() },
            onRequest: { endpoint, code in
                state.countRequest(cm: cm, owner: owner, endpoint: endpoint, code: code)
            })
        lister = IncrementalLister(client: client)
        state.adopt(listingKeys, owner: owner)
        state.setClientCertificateExpiry(cm: cm, client.tokens.clientCertificate?.notAfter)
    }

    /// True when this poller runs with `configuration`'s poll settings and limits.
    func matches(_ configuration: ExporterConfiguration) -> Bool {
        (pollInterval, pollTimeout, fullResyncInterval, walkTimeout)
            == (
                configuration.pollInterval, configuration.pollTimeout, configuration.fullResyncInterval,
                configuration.walkTimeout
            ) && limits == configuration.limits
    }

    var listingKeys: [ListingKey] { target.clouds.map { ListingKey(cm: target.name, cloud: $0) } }

    /// Starts the polling thread.
    func start() {
        if target.tls.insecureSkipVerify {
            logger.warning("TLS certificate verification is disabled for this CM (insecure_skip_verify)")
        }
        let name = "poller \(target.name)"
        let thread = Thread { [self] in
            // The OS-level name (15 bytes kept), so `top -H` and /proc/PID/task/*/comm show the
            // pollers (Foundation's `Thread.name` does not set it on Linux).
            try? name.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            run()
        }
        thread.name = name
        thread.start()
    }

    /// Asks the thread to stop: it stops before its next request (a request under way ends
    /// first), and nothing it learns after a reload replaced it is kept.
    func stop() { stopSignal.stop() }

    /// The state a listing starts with: due now, no walk yet.
    func initialState(_ listing: Listing) -> ListingPollState {
        ListingPollState(listing: listing, nextPoll: clock.now())
    }
}
