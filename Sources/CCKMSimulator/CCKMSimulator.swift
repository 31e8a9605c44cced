import HTTPServer
import Synchronization
import WebToolkit

/// A fake CipherTrust Manager on real HTTP: logins with expiring JWTs, every CCKM
/// synchronization-job listing of the contract with paging, `sort` and filters, jobs that
/// start, progress scope entry by scope entry and end `completed`, `failed` or `aborted`.
///
/// Used by the integration tests, by `cckm_exporter --demo` (in-process) and by the
/// `cckm-simulator` executable. Besides the API it serves control endpoints under `/sim/`
/// (`GET /sim` lists them) mirroring the methods below.
///
/// Choices where CipherTrust Manager's behaviour is undocumented:
/// - Jobs' own `cloud` field: `aws` (both AWS listings), `azure` (the three Azure listings),
///   `gcp` (google, as documented), `oci`, `sap`, `salesforce` (both SFDC listings).
/// - A `limit` above ``SimulatorConfiguration/maxPageSize`` is clamped (the answer's `limit`
///   says so); `limit=0` means the default 10; unknown query keys are ignored.
/// - Cancelling a finished job answers 409; a cancelled job ends after
///   ``SimulatorConfiguration/abortDelaySeconds`` with the entries it was working on left at
///   a stale `in_progress`, as in the reference example.
/// - Time only moves with the clock: jobs progress and new ones start when a request (or a
///   control call) looks, so a ``ManualClock`` makes every answer deterministic.
///
/// ```swift
/// let clock = ManualClock()
/// let simulator = try CCKMSimulator(
///     configuration: SimulatorConfiguration(tokenLifetimeSeconds: 1), clock: clock)
/// defer { simulator.shutdown() }
/// let id = try simulator.insertJob(listing: "aws", outcome: .failed, regions: ["us-east-1"])
/// clock.advance(by: 3)  // the job has failed now
/// ```
public final class CCKMSimulator: Sendable {
    /// The port the server listens on.
    public let port: UInt16
    /// `http://HOST:PORT` (`https` with TLS), without a trailing slash.
    public let baseURL: String
    public let configuration: SimulatorConfiguration
    let core: SimulatorCore
    private let server: WebConfigListener
    private let stopped = Mutex(false)

    /// Validates the configuration, seeds the history and starts listening.
    /// Throws ``SimulatorError`` for a bad field or an address that cannot be bound.
    public init(configuration: SimulatorConfiguration, clock: any SimulatorClock = SystemClock())
        throws(SimulatorError)
    {
        try configuration.validate()
        let core = SimulatorCore(configuration: configuration, clock: clock)
        let options = HTTPServerOptions(
            host: configuration.host, port: configuration.port,
            threads: configuration.serverThreads, connectionTimeoutSeconds: 30)
        do {
            // Served as the exporter serves: TLS, client certificates, headers and rate limit
            // from the same web configuration, through the same gate.
            server = try WebConfigListener(
                options: options, config: configuration.web, reloadable: false, handler: { core.handle($0) })
        } catch {
            throw SimulatorError("cannot start the simulator: \(error)")
        }
        self.core = core
        self.configuration = configuration
        port = server.port
        let host = configuration.host.map { $0.contains(":") ? "[\($0)]" : $0 } ?? "127.0.0.1"
        baseURL = "\(configuration.web.tls == nil ? "http" : "https")://\(host):\(port)"
    }

    /// Stops the server: in-flight requests get `gracePeriod` to finish, then every connection
    /// is closed (clients' idle keep-alive connections would otherwise hold it for the whole
    /// period). Safe to call more than once.
    public func shutdown(gracePeriod: Duration = .milliseconds(500)) {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        if first { server.shutdown(gracePeriod: gracePeriod) }
    }

    /// Starts a job in `listing` now that ends with `outcome` after `durationSeconds`, and
    /// returns its id. `regions` are the scope entries: AWS region names (in account
    /// 123456789012) or `ACCOUNT/REGION` keys for `aws`, the scope values (key vault, key ring,
    /// …) for the other listings; empty picks a random scope. `startedSecondsAgo` backdates
    /// its `createdAt` (a job of known, long duration that finishes now); the listing keeps its
    /// `createdAt` order.
    @discardableResult
    public func insertJob(
        listing: String, outcome: JobOutcome, regions: [String] = [],
        durationSeconds: Double = 2, completedAt: CompletedAtStyle? = nil, startedSecondsAgo: Double = 0
    ) throws(SimulatorError) -> String {
        try core.insertJob(
            listing: listing, outcome: outcome, entries: regions,
            durationSeconds: durationSeconds, completedAt: completedAt, startedSecondsAgo: startedSecondsAgo)
    }

    /// Deletes the `count` oldest jobs of `listing`, as CM's purge of old history does.
    public func purgeOldest(listing: String, count: Int) throws(SimulatorError) {
        try core.requireListing(listing)
        _ = core.withCurrentState { state, now in
            state.removeJobs(
                listing, at: Array(0..<min(max(0, count), state.stores[listing]!.jobs.count)), now: now)
        }
    }

    /// Queues a fault for the next matching API requests (see ``Fault``).
    public func injectFault(_ fault: Fault) throws(SimulatorError) { try core.injectFault(fault) }

    /// Drops every queued fault.
    public func clearFaults() { core.clearFaults() }

    /// Counters since start or the last ``reset()``.
    public func stats() -> SimulatorStats { core.stats() }

    /// The settings in force.
    public func settings() -> SimulatorSettings { core.settings() }

    /// Changes settings for new jobs and tokens from now on.
    public func updateSettings(_ settings: SimulatorSettings) throws(SimulatorError) {
        try core.updateSettings(settings)
    }

    /// Makes every issued JWT expire now (refresh tokens stay valid).
    public func expireTokens() { core.expireTokens() }

    /// Back to the configured start: fresh history (relative to now), configured settings, no
    /// faults, zero stats. Issued tokens stay valid.
    public func reset() { core.reset() }
}
