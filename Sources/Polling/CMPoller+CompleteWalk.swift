import CCKMClient
import CMWire
import ExporterConfig
import Foundation
import JobMetrics
import Logging

/// A listing's complete walk (``CompleteWalk``): started (first listing, a poll or a check that
/// asks for one), one page a step between the due polls, a failed page asked again after a
/// backoff, applied when it reaches the end (its order, its oldest job noted), and closed when
/// the poller stops.
extension CMPoller {
    /// Starts a complete walk of `listing` (a catch-up under way ends: the walk reads its
    /// stretch too).
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
    func stepWalk(_ listing: inout ListingPollState) -> CMError? {
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

    /// The wait before a walk asks again for a page that failed: a backoff that doubles from
    /// 2 s up to the poll interval, or CM's `Retry-After` when it asks for longer (the request's
    /// own retries gave up on a wait that long), up to the walk timeout.
    func walkRetryDelay(failedPages: Int, error: CMError) -> Duration {
        let backoff = min(pollInterval, .seconds(1) * (1 << min(failedPages, 5)))
        guard let retryAfter = error.retryAfterSeconds else { return backoff }
        return max(backoff, min(.seconds(retryAfter), walkTimeout))
    }

    /// A walk was applied: the next consistency check may judge a mismatch it was started for
    /// (``ConsistencyMemory``), and a walk that covered the whole listing
    /// (``CompleteWalk/coversTheListing``) observed CM's oldest job (one cut short observed
    /// nothing, nor one that read every page but held only the newest jobs, at the jobs limit).
    func noteWalkEnded(_ listing: inout ListingPollState, _ walk: PendingWalk, key: ListingKey) {
        listing.consistency.walkEnded = true
        listing.consistency.walkAgreedWithTotal = walk.walk.agreesWithTotal
        guard walk.walk.coversTheListing, !walk.build.reachedJobLimit,
            let oldest = walk.build.oldestCreatedAt
        else { return }
        state.observeOldest(key, owner: owner, createdAt: oldest)
    }

    /// Closes the journal record of each walk still under way when the poller stopped (a
    /// reload replaced it, or the exporter stops): the status page would show it running
    /// for ever.
    func closeWalksCutShort(_ listings: [ListingPollState]) {
        for listing in listings {
            guard let walk = listing.walk else { continue }
            state.journal.abandon(
                walk.journal,
                message: "complete walk stopped after \(walk.walk.pages) pages (poller stopped or replaced)")
            state.setWalk(ListingKey(cm: target.name, cloud: listing.listing.name), owner: owner, nil)
        }
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
