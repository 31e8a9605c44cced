import CCKMClient
import CCKMExporter
import Foundation
import Logging

/// Polls every listing of one CipherTrust Manager on its own thread: log in (the client
/// keeps the JWT fresh), page through each listing, hand the complete listing to
/// ``ExporterState``, sleep until the next interval. One CM's slowness never delays another's.
final class CMPoller: Sendable {
    let target: TargetConfiguration
    let owner: Int
    private let pollInterval: Duration
    private let pollTimeout: Duration
    private let state: ExporterState
    private let logger: Logger
    private let stopSignal = StopSignal()
    private let client: CMClient

    init(target: TargetConfiguration, pollInterval: Duration, pollTimeout: Duration,
         owner: Int, state: ExporterState, logger: Logger) {
        self.target = target
        self.owner = owner
        self.pollInterval = pollInterval
        self.pollTimeout = pollTimeout
        self.state = state
        var logger = logger
        logger[metadataKey: "cm"] = "\(target.name)"
        self.logger = JournalLogHandler.wrapping(logger, journal: state.journal, cm: target.name)
        let transport = HTTPTransport(settings: HTTPTransport.Settings(
            caFile: target.tls.caFile, insecureSkipVerify: target.tls.insecureSkipVerify,
            requestTimeout: pollTimeout, connectTimeout: min(.seconds(10), pollTimeout)))
        let credentials = CMCredentials(
            username: target.auth.username, password: target.auth.password?.value,
            domain: target.auth.domain, refreshToken: target.auth.refreshToken?.value)
        let cm = target.name
        client = CMClient(
            baseURL: target.url, credentials: credentials, transport: transport,
            pageSize: target.pageSize,
            onRequest: { endpoint, code in state.countRequest(cm: cm, endpoint: endpoint, code: code) })
        state.adopt(listingKeys, owner: owner)
    }

    /// The interval and timeout this poller runs with.
    var pollSettings: (Duration, Duration) { (pollInterval, pollTimeout) }

    var listingKeys: [ListingKey] { target.clouds.map { ListingKey(cm: target.name, cloud: $0) } }

    /// Starts the polling thread.
    func start() {
        if target.tls.insecureSkipVerify {
            logger.warning("TLS certificate verification is disabled for this CM (insecure_skip_verify)")
        }
        let thread = Thread { [self] in run() }
        thread.name = "poller \(target.name)"
        thread.start()
    }

    /// Asks the thread to stop; a poll under way finishes its current request, and its result
    /// is dropped once another poller owns the listing.
    func stop() { stopSignal.stop() }

    private func run() {
        var lastUp: [String: Bool] = [:]
        while !stopSignal.isStopped {
            let cycleStart = Date()
            for cloud in target.clouds where !stopSignal.isStopped {
                guard let listing = Listing.named(cloud) else { continue }
                state.journal.begin(ListingKey(cm: target.name, cloud: cloud))
                let failure = poll(listing)
                logStateChange(cloud: cloud, failure: failure, previous: lastUp[cloud])
                state.journal.finish(ListingKey(cm: target.name, cloud: cloud),
                                     failure: failure.map { ($0.reason, $0.message) })
                lastUp[cloud] = failure == nil
                state.publish()
            }
            let next = cycleStart.addingTimeInterval(pollInterval.seconds)
            if Date() > next {
                logger.warning("poll cycle took longer than the poll interval",
                               metadata: ["interval": "\(PrometheusDuration.format(pollInterval))"])
            }
            if stopSignal.wait(until: next) { break }
        }
    }

    /// One poll of one listing; returns the error when it failed.
    private func poll(_ listing: Listing) -> CMError? {
        let key = ListingKey(cm: target.name, cloud: listing.name)
        let started = ContinuousClock.now
        let deadline = started + pollTimeout
        do {
            let result = try client.listJobs(listing, deadline: deadline)
            let duration = (ContinuousClock.now - started).seconds
            state.recordSuccess(key, owner: owner, jobs: result.jobs, invalid: result.invalid,
                                duration: duration, end: Date().timeIntervalSince1970)
            logger.debug("poll finished", metadata: [
                "cloud": "\(listing.name)", "jobs": "\(result.jobs.count)",
                "invalid": "\(result.invalid.count)", "pages": "\(result.pages)",
                "requests": "\(result.requests)", "duration": "\(String(format: "%.3fs", duration))",
            ])
            for skipped in result.invalid {
                logger.debug("job skipped", metadata: [
                    "cloud": "\(listing.name)", "reason": "\(skipped.reason.rawValue)",
                    "job_id": "\(skipped.id ?? "")",
                ])
            }
            return nil
        } catch {
            let duration = (ContinuousClock.now - started).seconds
            state.recordFailure(key, owner: owner, reason: error.reason, message: error.message,
                                duration: duration, end: Date().timeIntervalSince1970)
            logger.debug("poll failed", metadata: [
                "cloud": "\(listing.name)", "reason": "\(error.reason.rawValue)", "err": "\(error.message)",
            ])
            return error
        }
    }

    /// Logs up/down transitions once, not on every poll while the state holds.
    private func logStateChange(cloud: String, failure: CMError?, previous: Bool?) {
        switch (previous, failure) {
        case (nil, nil):
            logger.info("first poll succeeded", metadata: ["cloud": "\(cloud)"])
        case (nil, let failure?), (true?, let failure?):
            logger.warning("poll failing", metadata: [
                "cloud": "\(cloud)", "reason": "\(failure.reason.rawValue)", "err": "\(failure.message)",
            ])
        case (false?, nil):
            logger.info("poll recovered", metadata: ["cloud": "\(cloud)"])
        default:
            break
        }
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
