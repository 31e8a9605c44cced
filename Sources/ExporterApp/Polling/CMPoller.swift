import CCKMClient
import CCKMExporter
import Foundation
import Logging

/// Polls every listing of one CipherTrust Manager on its own thread: log in (the client
/// keeps the JWT fresh), fetch each listing, hand it to ``ExporterState``, sleep until the
/// next interval. One CM's slowness never delays another's.
///
/// Polls are incremental (``IncrementalLister``: new jobs and the ones that were running)
/// between complete listings, which come at start, after a failure and every
/// `fullResyncInterval` (``FullResyncSchedule``; zero makes every poll complete).
final class CMPoller: Sendable {
    let target: TargetConfiguration
    let owner: Int
    private let pollInterval: Duration
    private let pollTimeout: Duration
    private let fullResyncInterval: Duration
    private let state: ExporterState
    private let logger: Logger
    private let stopSignal = StopSignal()
    private let client: CMClient
    private let lister: IncrementalLister

    init(
        target: TargetConfiguration, pollInterval: Duration, pollTimeout: Duration,
        fullResyncInterval: Duration = ExporterConfiguration.defaultFullResyncInterval,
        owner: Int, state: ExporterState, logger: Logger
    ) {
        self.target = target
        self.owner = owner
        self.pollInterval = pollInterval
        self.pollTimeout = pollTimeout
        self.fullResyncInterval = fullResyncInterval
        self.state = state
        var logger = logger
        logger[metadataKey: "cm"] = "\(target.name)"
        self.logger = JournalLogHandler.wrapping(logger, journal: state.journal, cm: target.name)
        let transport = HTTPTransport(
            settings: HTTPTransport.Settings(
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
        lister = IncrementalLister(client: client)
        state.adopt(listingKeys, owner: owner)
    }

    /// The interval, timeout and full resync interval this poller runs with.
    var pollSettings: (Duration, Duration, Duration) { (pollInterval, pollTimeout, fullResyncInterval) }

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
        var lastFailure: [String: PollErrorReason?] = [:]
        var schedule = FullResyncSchedule(interval: fullResyncInterval)
        while !stopSignal.isStopped {
            let cycleStart = Date()
            for cloud in target.clouds where !stopSignal.isStopped {
                guard let listing = Listing.named(cloud) else { continue }
                state.journal.begin(ListingKey(cm: target.name, cloud: cloud))
                let failure = poll(listing, schedule: &schedule)
                logStateChange(cloud: cloud, failure: failure, previous: lastFailure[cloud])
                state.journal.finish(
                    ListingKey(cm: target.name, cloud: cloud),
                    failure: failure.map { ($0.reason, $0.message) })
                lastFailure[cloud] = .some(failure?.reason)
                state.publish()
            }
            let next = cycleStart.addingTimeInterval(pollInterval.seconds)
            if Date() > next {
                logger.warning(
                    "poll cycle took longer than the poll interval",
                    metadata: ["interval": "\(PrometheusDuration.format(pollInterval))"])
            }
            if stopSignal.wait(until: next) { break }
        }
    }

    /// One poll of one listing, complete or incremental as `schedule` says; returns the error
    /// when it failed. Not reentrant: the poller thread (or a test) calls it.
    func poll(_ listing: Listing, schedule: inout FullResyncSchedule) -> CMError? {
        let key = ListingKey(cm: target.name, cloud: listing.name)
        let started = ContinuousClock.now
        let deadline = started + pollTimeout
        do {
            let complete = schedule.needsComplete(listing.name, now: started)
            let polled = try fetch(listing, key: key, complete: complete, deadline: deadline)
            let duration = (ContinuousClock.now - started).seconds
            let end = Date().timeIntervalSince1970
            var metadata: Logger.Metadata = [
                "cloud": "\(listing.name)", "requests": "\(polled.requests)",
                "duration": "\(String(format: "%.3fs", duration))",
            ]
            if let reason = polled.fallbackReason { metadata["fallback"] = "\(reason)" }
            if !polled.anomalies.isEmpty {
                metadata["anomalies"] = "\(polled.anomalies.joined(separator: "; "))"
            }
            switch polled.update {
            case .complete(let build):
                state.recordSuccess(key, owner: owner, build: build, duration: duration, end: end)
                schedule.completed(listing.name, startedAt: started)
                metadata["mode"] = "complete"
                metadata["jobs"] = "\(build.jobCount)"
                logSkipped(build.invalid, cloud: listing.name)
            case .changes(let changes):
                state.recordChanges(key, owner: owner, changes: changes, duration: duration, end: end)
                metadata["mode"] = "incremental"
                metadata["jobs"] = "\(changes.jobs.count)"
                logSkipped(changes.invalid, cloud: listing.name)
            }
            logger.debug("poll finished", metadata: metadata)
            return nil
        } catch {
            schedule.failed(listing.name)
            let duration = (ContinuousClock.now - started).seconds
            state.recordFailure(
                key, owner: owner, reason: error.reason, message: error.message,
                duration: duration, end: Date().timeIntervalSince1970)
            logger.debug(
                "poll failed",
                metadata: [
                    "cloud": "\(listing.name)", "reason": "\(error.reason.rawValue)",
                    "err": "\(error.message)",
                ])
            return error
        }
    }

    /// The whole listing, or (when a previous listing is known) what changed in it. The
    /// known jobs are a copy-on-write value released on return, before the result is applied.
    /// A complete listing, including an incremental poll's fallback to one, is built page by
    /// page as the pages arrive (``ListingBuild``), outside the state's lock; a failed walk
    /// throws and its partial build is dropped.
    private func fetch(
        _ listing: Listing, key: ListingKey, complete: Bool,
        deadline: ContinuousClock.Instant
    ) throws(CMError) -> PolledListing {
        var build = ListingBuild()
        if !complete, let known = state.knownJobs(key), !known.isEmpty {
            let polled = try lister.poll(listing, known: known, deadline: deadline) { fresh in
                build.add(fresh)
            }
            let reason = polled.fallbackReason
            switch polled.update {
            case .streamed(let walk):
                return PolledListing(
                    update: .complete(build), requests: polled.requests, fallbackReason: reason,
                    anomalies: walk.anomalies)
            case .complete(let result):
                let whole = ListingBuild(jobs: result.jobs, invalid: result.invalid)
                return PolledListing(
                    update: .complete(whole), requests: polled.requests, fallbackReason: reason)
            case .changes(let changes):
                return PolledListing(update: .changes(changes), requests: polled.requests)
            }
        }
        let walk = try client.listJobs(listing, deadline: deadline) { fresh in
            build.add(fresh)
        }
        return PolledListing(update: .complete(build), requests: walk.requests, anomalies: walk.anomalies)
    }

    private func logSkipped(_ invalid: [InvalidJob], cloud: String) {
        for skipped in invalid {
            logger.debug(
                "job skipped",
                metadata: [
                    "cloud": "\(cloud)", "reason": "\(skipped.reason.rawValue)",
                    "job_id": "\(skipped.id ?? "")",
                ])
        }
    }

    /// Logs state changes once, not on every poll while the state holds: the first success,
    /// failing (again when the reason changes, say from connect to auth), recovered.
    /// `previous`: nil before the first poll, `.some(nil)` after a good one, else its reason.
    private func logStateChange(cloud: String, failure: CMError?, previous: PollErrorReason??) {
        switch (previous, failure) {
        case (nil, nil):
            logger.info("first poll succeeded", metadata: ["cloud": "\(cloud)"])
        case (let previous, let failure?) where previous != .some(failure.reason):
            logger.warning(
                "poll failing",
                metadata: [
                    "cloud": "\(cloud)", "reason": "\(failure.reason.rawValue)", "err": "\(failure.message)",
                ])
        case (.some(.some(let reason)), nil):
            logger.info("poll recovered", metadata: ["cloud": "\(cloud)", "after": "\(reason.rawValue)"])
        default:
            break
        }
    }
}

/// What one poll of a listing brought, ready to apply.
private struct PolledListing {
    enum Update {
        /// The whole listing.
        case complete(ListingBuild)
        /// What changed since the last poll (incremental).
        case changes(ListingChanges)
    }

    var update: Update
    var requests: Int
    var fallbackReason: String?
    /// What the client noticed while paging but worked around (a `total` that lied, a
    /// repeated or early empty page).
    var anomalies: [String] = []
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
