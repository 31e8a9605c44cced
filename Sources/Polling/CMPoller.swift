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
/// Polls are scheduled on the monotonic clock of the injected ``PollerClock``.
final class CMPoller: Sendable {
    let target: TargetConfiguration
    let owner: Int
    let pollInterval: Duration
    let pollTimeout: Duration
    let fullResyncInterval: Duration
    let walkTimeout: Duration
    private let limits: DataLimits
    let state: ExporterState
    let logger: Logger
    let clock: any PollerClock
    private let stopSignal = StopSignal()
    let client: CMClient
    private let lister: IncrementalLister

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

    private func run() {
        var listings = target.clouds.compactMap(Listing.named).map(initialState)
        var nextWalk = 0
        while !stopSignal.isStopped {
            let now = clock.now()
            for index in listings.indices where listings[index].nextPoll <= now && !stopSignal.isStopped {
                tick(&listings[index])
                let next = listings[index].nextPoll + pollInterval
                listings[index].nextPoll = max(next, clock.now())
            }
            let ready = listings.indices.filter { listings[$0].hasWorkReady(at: clock.now()) }
            if let index = ready.first(where: { $0 >= nextWalk }) ?? ready.first, !stopSignal.isStopped {
                stepBackground(&listings[index])
                nextWalk = index + 1
                continue
            }
            let wake = listings.map(\.nextWake).min() ?? clock.now() + pollInterval
            if clock.sleep(until: wake, stop: stopSignal) { break }
        }
        closeWalksCutShort(listings)
    }

    /// One poll of `listing` as the polling thread does it, with any complete walk it starts
    /// run to its end; returns the first error. For tests, which drive time themselves.
    func poll(_ listing: inout ListingPollState) -> CMError? {
        var failure = tick(&listing)
        while listing.hasBackgroundWork && !stopSignal.isStopped {
            if let error = stepBackground(&listing) {
                failure = failure ?? error
                if listing.hasBackgroundWork { break }
            }
        }
        return failure
    }

    /// One page of the listing's pending work between due polls: its complete walk, else its
    /// catch-up. Returns the error when the page failed.
    @discardableResult
    func stepBackground(_ listing: inout ListingPollState) -> CMError? {
        listing.walk != nil ? stepWalk(&listing) : stepCatchUp(&listing)
    }

    /// The due poll of a listing: the incremental poll and, when due, the consistency check;
    /// or the start of a complete walk. Returns the error when the poll failed.
    @discardableResult
    private func tick(_ listing: inout ListingPollState) -> CMError? {
        let key = ListingKey(cm: target.name, cloud: listing.listing.name)
        let now = clock.now()
        guard listing.hasBase, listing.order != .unordered, fullResyncInterval > .zero else {
            if listing.walk == nil {
                let reason =
                    !listing.hasBase
                    ? "first listing"
                    : listing.order == .unordered ? "no usable order" : "every poll is complete"
                startWalk(&listing, key: key, reason: reason, now: now)
            }
            return nil
        }
        let journal = state.journal.begin(key)
        let started = now
        let deadline = started + pollTimeout
        var failure: CMError?
        do {
            try pollIncrementally(&listing, key: key, started: started, deadline: deadline)
            // A listing cut at the jobs limit cannot agree with CM's totals: no check then.
            // Nor while a catch-up reads a backlog: the backlog alone explains the difference.
            // Nor while jobs held as running were not seen again by this poll (a pass over the
            // running set that spans polls, one-by-one reads cut by the budget): they may have
            // finished, and the check's own polls would leave them so too.
            if let due = listing.nextCheck, due <= now, listing.walk == nil, !listing.heldPartly,
                !listing.progress.catchUp.isOpen, listing.progress.runningHeldIsCurrent
            {
                try checkTotals(&listing, key: key, started: started, deadline: deadline)
            }
        } catch {
            failure = error
            record(failure: error, key: key, started: started)
        }
        logStateChange(&listing, failure: failure)
        state.journal.finish(journal, failure: failure.map { ($0.reason, $0.message) })
        state.publish()
        return failure
    }

    func pollIncrementally(
        _ listing: inout ListingPollState, key: ListingKey, started: ContinuousClock.Instant,
        deadline: ContinuousClock.Instant
    ) throws(CMError) {
        guard let known = state.knownJobs(key) else { return }
        let polled = try lister.poll(
            listing.listing, known: known, order: listing.order, expectedTotal: listing.lastTotal,
            statusFilter: &listing.statusFilter, progress: &listing.progress,
            opensCatchUp: listing.walk == nil, now: clock.now(), budget: .now + pollTimeout / 2,
            deadline: deadline)
        note(polled.events, key: key)
        var metadata: Logger.Metadata = [
            "cloud": "\(listing.listing.name)", "requests": "\(polled.requests)", "mode": "incremental",
        ]
        switch polled.outcome {
        case .changes(let found, let total):
            listing.lastTotal = total ?? listing.lastTotal
            metadata["jobs"] = "\(found.jobs.count)"
            logSkipped(found.invalid, cloud: listing.listing.name)
            let duration = (clock.now() - started) / .seconds(1)
            let reached = state.recordChanges(
                key, owner: owner, changes: found, duration: duration, end: clock.wallTime())
            logLimits(reached, cloud: listing.listing.name)
            countCatchUpLimits(&listing, key: key, besides: reached ?? [])
            if reached != nil {
                let reader = polled.openedCatchUp ? listing.progress.catchUp.gaps.count - 1 : nil
                listing.progress.catchUp.noteApplied(polled.fresh, readBy: reader, headRead: true)
            }
            if polled.openedCatchUp { openedCatchUp(&listing, key: key) }
            publishCatchUp(&listing, key: key)
            metadata["duration"] = "\(String(format: "%.3fs", duration))"
        case .needsCompleteWalk(let reason):
            // Nothing is applied: the poll is neither a success nor a failure (the last-success
            // timestamp stays where it was while a walk is pending).
            if listing.walk == nil {
                logger.info(
                    "complete walk needed",
                    metadata: ["cloud": "\(listing.listing.name)", "why": "\(reason)"])
                startWalk(&listing, key: key, reason: reason, now: clock.now())
            }
        }
        logger.debug("poll finished", metadata: metadata)
    }

    func startWalk(
        _ listing: inout ListingPollState, key: ListingKey, reason: String, now: ContinuousClock.Instant
    ) {
        let walk = PendingWalk(
            walk: CompleteWalk(pageSize: target.pageSize), build: ListingBuild(limits: limits.listing),
            reason: reason, started: now,
            startedWall: clock.wallTime(), journal: state.journal.begin(key))
        listing.walk = walk
        listing.retryWalkAt = nil
        if listing.progress.catchUp.isOpen {
            // The walk reads the whole listing: the catch-up's stretch with it.
            listing.progress.catchUp.abandon()
            endCatchUp(&listing, key: key)
        }
        state.setWalk(key, owner: owner, walk.progress)
        state.publish()
    }

    /// Takes one page of the listing's complete walk; applies the walk when it reached the
    /// end. Returns the error when the page failed (the walk stays where it was).
    @discardableResult
    private func stepWalk(_ listing: inout ListingPollState) -> CMError? {
        guard var walk = listing.walk else { return nil }
        let key = ListingKey(cm: target.name, cloud: listing.listing.name)
        let now = clock.now()
        if now - walk.started > walkTimeout {
            let error = CMError(
                reason: .timeout,
                message: "complete walk did not end within \(PrometheusDuration.format(walkTimeout))"
                    + " (\(walk.walk.pages) pages, \(walk.walk.entries) of \(walk.walk.total.map(String.init) ?? "?") jobs)"
            )
            endWalk(&listing, walk, key: key, failure: error)
            return error
        }
        do {
            try walk.walk.step(client, listing.listing, deadline: now + pollTimeout) { fresh in
                walk.build.add(fresh)
            }
        } catch {
            walk.failedPages += 1
            // The failed attempt is a poll of its own on the status page; the walk goes on in a new one.
            state.journal.finish(walk.journal, failure: (error.reason, error.message))
            walk.journal = state.journal.begin(key)
            listing.walk = walk
            listing.retryWalkAt = clock.now() + walkRetryDelay(failedPages: walk.failedPages, error: error)
            state.setWalk(key, owner: owner, walk.progress)
            record(failure: error, key: key, started: now)
            logStateChange(&listing, failure: error)
            state.publish()
            return error
        }
        let elapsed = clock.now() - walk.started
        if !walk.reportedSlow, elapsed > pollInterval, !walk.walk.isComplete {
            walk.reportedSlow = true
            logger.info(
                "complete walk outlasts the poll interval; other listings keep being polled",
                metadata: [
                    "cloud": "\(listing.listing.name)", "why": "\(walk.reason)",
                    "pages": "\(walk.walk.pages)",
                    "jobs": "\(walk.walk.entries)", "total": "\(walk.walk.total.map(String.init) ?? "?")",
                ])
        }
        if walk.walk.isComplete || walk.build.reachedJobLimit {
            endWalk(&listing, walk, key: key, failure: nil)
        } else {
            listing.walk = walk
            state.setWalk(key, owner: owner, walk.progress)
            state.publish()  // request counters move with every page (a snapshot is small)
        }
        return nil
    }

    private func endWalk(
        _ listing: inout ListingPollState, _ walk: PendingWalk, key: ListingKey, failure: CMError?
    ) {
        listing.walk = nil
        let duration = (clock.now() - walk.started) / .seconds(1)
        if let failure {
            record(failure: failure, key: key, started: walk.started)
        } else {
            state.recordSuccess(
                key, owner: owner, build: walk.build, duration: duration, end: clock.wallTime())
            noteWalkEnded(&listing, walk, key: key)
            listing.hasBase = true
            listing.heldPartly = walk.build.reachedJobLimit
            listing.lastTotal = walk.walk.entries
            listing.nextCheck = clock.now() + fullResyncInterval
            noteOrder(&listing, walk.walk.order, key: key)
            var metadata: Logger.Metadata = [
                "cloud": "\(listing.listing.name)", "mode": "complete", "why": "\(walk.reason)",
                "requests": "\(walk.walk.requests)", "pages": "\(walk.walk.pages)",
                "jobs": "\(walk.build.jobCount)", "duration": "\(String(format: "%.3fs", duration))",
            ]
            if !walk.walk.anomalies.isEmpty {
                metadata["anomalies"] = "\(walk.walk.anomalies.joined(separator: "; "))"
            }
            logger.debug("poll finished", metadata: metadata)
            logSkipped(walk.build.invalid, cloud: listing.listing.name)
        }
        state.setWalk(key, owner: owner, nil)
        logStateChange(&listing, failure: failure)
        state.journal.finish(walk.journal, failure: failure.map { ($0.reason, $0.message) })
        state.publish()
    }

    /// Remembers the order a complete walk found; a change is said once in the log.
    private func noteOrder(_ listing: inout ListingPollState, _ order: ListingOrder, key: ListingKey) {
        guard order != listing.order || !listing.orderKnown else { return }
        listing.orderKnown = true
        if order != listing.order || order != .newestFirst {
            logger.info(
                "listing order",
                metadata: ["cloud": "\(listing.listing.name)", "order": "\(order.rawValue)"]
                    .merging(order.note.map { ["note": "\($0)"] } ?? [:]) { a, _ in a })
        }
        listing.order = order
        state.setOrderNote(key, owner: owner, order.note)
    }

    func record(failure error: CMError, key: ListingKey, started: ContinuousClock.Instant) {
        if let limit = error.limitReached {
            state.countLimits([limit], key: key, owner: owner)
            logLimits([limit], cloud: key.cloud)
        }
        let duration = (clock.now() - started) / .seconds(1)
        state.recordFailure(
            key, owner: owner, reason: error.reason, message: error.message, duration: duration,
            end: clock.wallTime())
        logger.debug(
            "poll failed",
            metadata: [
                "cloud": "\(key.cloud)", "reason": "\(error.reason.rawValue)", "err": "\(error.message)",
            ])
    }

    /// One line per poll in which limits on what CM data may cost bit.
    func logLimits(_ reached: Set<ListingLimit>?, cloud: String) {
        guard let reached, !reached.isEmpty else { return }
        let names = reached.sorted().map(\.rawValue)
        logger.warning(
            "limit reached",
            metadata: [
                "cloud": "\(cloud)", "limit": "\(names.joined(separator: ","))",
                "limits": "\(describe(reached.sorted()))",
            ])
    }

    private func describe(_ limits: [ListingLimit]) -> String {
        limits.map { limit in
            switch limit {
            case .statuses: "statuses=\(self.limits.listing.statuses) (new ones fold into other)"
            case .regionSeries: "region_series=\(self.limits.listing.regionSeries)"
            case .jobs: "jobs=\(self.limits.listing.jobs)"
            case .responseBytes: "response_bytes=\(self.limits.responseBytes)"
            }
        }.joined(separator: " ")
    }

    func logSkipped(_ invalid: [InvalidJob], cloud: String) {
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
    func logStateChange(_ listing: inout ListingPollState, failure: CMError?) {
        let cloud = listing.listing.name
        defer { if failure != nil || listing.hasBase { listing.lastFailure = .some(failure?.reason) } }
        switch (listing.lastFailure, failure) {
        case (nil, nil):
            if listing.hasBase { logger.info("first poll succeeded", metadata: ["cloud": "\(cloud)"]) }
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

/// What the poller keeps of one listing between polls.
struct ListingPollState {
    let listing: Listing
    /// When the next incremental poll (or walk start) is due, on the monotonic clock.
    var nextPoll: ContinuousClock.Instant
    /// The complete walk under way.
    var walk: PendingWalk?
    /// When a walk whose page failed may try again.
    var retryWalkAt: ContinuousClock.Instant?
    /// True once a complete walk was applied: polls are incremental from then on.
    var hasBase = false
    /// True when the last walk ended at the jobs limit (``ListingLimits/jobs``).
    var heldPartly = false
    /// The order the last complete walk found, and whether one was found at all.
    var order = ListingOrder.newestFirst
    var orderKnown = false
    var statusFilter = StatusFilterSupport.unverified
    /// The listing's `total` at the last poll.
    var lastTotal: Int?
    /// When the next consistency check is due.
    var nextCheck: ContinuousClock.Instant?
    /// nil before the first outcome, `.some(nil)` after a good one, else its reason.
    var lastFailure: PollErrorReason?? = nil
    /// What the consistency checks remember of mismatches (``ConsistencyMemory``).
    var consistency = ConsistencyMemory()
    /// What incremental polls carry over: catch-ups, failing job reads, one-by-one reads.
    var progress = ListingProgress()
    /// The catch-up under way, as the poller tracks it (nil: none).
    var catchUp: PendingCatchUp?

    init(listing: Listing, nextPoll: ContinuousClock.Instant) {
        self.listing = listing
        self.nextPoll = nextPoll
    }

    func walkIsReady(at now: ContinuousClock.Instant) -> Bool {
        walk != nil && (retryWalkAt ?? now) <= now
    }

    /// True when a page of a walk or of a catch-up may be taken now.
    func hasWorkReady(at now: ContinuousClock.Instant) -> Bool {
        walk != nil ? walkIsReady(at: now) : catchUpIsReady(at: now)
    }

    /// True while a walk or a catch-up not waiting for the next head read is pending.
    var hasBackgroundWork: Bool { walk != nil || progress.catchUp.next != nil }

    /// When the polling thread must be awake for this listing next.
    var nextWake: ContinuousClock.Instant {
        let retry = walk != nil ? retryWalkAt : progress.catchUp.next != nil ? catchUp?.retryAt : nil
        guard let retry else { return nextPoll }
        return min(nextPoll, retry)
    }
}

/// A complete walk under way and the listing it is building.
struct PendingWalk {
    var walk: CompleteWalk
    var build: ListingBuild
    let reason: String
    let started: ContinuousClock.Instant
    let startedWall: Double
    var journal: PollJournal.Ticket
    var failedPages = 0
    var reportedSlow = false

    init(
        walk: CompleteWalk, build: ListingBuild, reason: String, started: ContinuousClock.Instant,
        startedWall: Double, journal: PollJournal.Ticket
    ) {
        self.walk = walk
        self.build = build
        self.reason = reason
        self.started = started
        self.startedWall = startedWall
        self.journal = journal
    }

    var progress: WalkProgress {
        WalkProgress(
            startedAt: startedWall, reason: reason, pages: walk.pages, jobs: walk.entries, total: walk.total,
            failedPages: failedPages)
    }
}
