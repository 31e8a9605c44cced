import CCKMClient
import ExporterConfig
import Foundation
import JobMetrics
import Logging

/// The catch-up of a listing's newest jobs (``CatchUpGap``): opened by a poll whose head page
/// reaches no known job, read one page at a time between the due polls (as a complete walk
/// is), each page applied as it comes, bounded by the walk timeout and not by the poll timeout.
extension CMPoller {
    /// The shortest time between two publishes of catch-up pages.
    static let catchUpPublishInterval: Duration = .milliseconds(250)

    /// Takes one page of the listing's catch-up and applies it. Returns the error when the
    /// page failed (the catch-up stays where it was, retried after a backoff).
    @discardableResult
    func stepCatchUp(_ listing: inout ListingPollState) -> CMError? {
        guard let index = listing.progress.catchUp.next else { return nil }
        var pending = listing.catchUp ?? PendingCatchUp(started: clock.now(), startedWall: clock.wallTime())
        let key = ListingKey(cm: target.name, cloud: listing.listing.name)
        let now = clock.now()
        if now - pending.started > walkTimeout {
            let why = "catch-up did not end within \(PrometheusDuration.format(walkTimeout))"
            logger.warning(
                "catch-up too slow: walking the whole listing",
                metadata: [
                    "cloud": "\(listing.listing.name)", "pages": "\(listing.progress.catchUp.pages)",
                    "jobs": "\(listing.progress.catchUp.jobs)",
                ])
            startWalk(&listing, key: key, reason: why, now: now)
            return nil
        }
        let step: CatchUpStep
        do {
            step = try readPage(index, of: &listing, key: key, deadline: now + pollTimeout)
        } catch {
            pending.failedPages += 1
            pending.retryAt =
                clock.now() + min(pollInterval, .seconds(1) * (1 << min(pending.failedPages, 5)))
            listing.catchUp = pending
            record(failure: error, key: key, started: now)
            logStateChange(&listing, failure: error)
            publishCatchUp(&listing, key: key)
            state.publish()
            return error
        }
        pending.retryAt = nil
        listing.catchUp = pending
        listing.lastTotal = listing.progress.catchUp.gaps[index].total ?? listing.lastTotal
        switch step {
        case .needsCompleteWalk(let reason):
            logger.info(
                "complete walk needed", metadata: ["cloud": "\(listing.listing.name)", "why": "\(reason)"])
            startWalk(&listing, key: key, reason: reason, now: clock.now())
        case .read(let changes, let fresh, let closed):
            let reached = state.recordChanges(
                key, owner: owner, changes: changes, duration: 0, end: clock.wallTime(), asPoll: false)
            listing.catchUp?.limitsReached.formUnion(reached ?? [])
            logSkipped(changes.invalid, cloud: listing.listing.name)
            if reached != nil { listing.progress.catchUp.noteApplied(fresh, readBy: index, headRead: false) }
            if closed { listing.progress.catchUp.close(index) }
        }
        publishCatchUp(&listing, key: key)
        // Rendered at most every quarter second while pages come fast (each render is all
        // three formats); at once when the catch-up ends or a walk takes over.
        let rendered = clock.now()
        if let last = listing.catchUp?.lastPublished, rendered - last < Self.catchUpPublishInterval {
            return nil
        }
        listing.catchUp?.lastPublished = rendered
        state.publish()
        return nil
    }

    /// One page of `gap`, read against the listing as held (the copy is dropped before the
    /// page is applied, so applying does not copy the table).
    private func readPage(
        _ index: Int, of listing: inout ListingPollState, key: ListingKey, deadline: ContinuousClock.Instant
    ) throws(CMError) -> CatchUpStep {
        guard let known = state.knownJobs(key) else {
            return .read(ListingChanges(jobs: []), fresh: [], closed: true)
        }
        return try listing.progress.catchUp.step(
            index, client, listing.listing, known: known, deadline: deadline)
    }

    /// A poll opened a gap: the catch-up starts (said once in the log) unless one is under way.
    func openedCatchUp(_ listing: inout ListingPollState, key: ListingKey) {
        guard listing.catchUp == nil else { return }
        listing.catchUp = PendingCatchUp(started: clock.now(), startedWall: clock.wallTime())
        logger.info(
            "catching up: more new jobs than the head page holds; reading them page by page",
            metadata: ["cloud": "\(listing.listing.name)"])
    }

    /// Shows the catch-up's progress (status page, `cckm_listing_catchup_backlog_jobs`), or
    /// ends it when no gap is left open.
    func publishCatchUp(_ listing: inout ListingPollState, key: ListingKey) {
        let catchUp = listing.progress.catchUp
        guard catchUp.isOpen, let pending = listing.catchUp else {
            if listing.catchUp != nil { endCatchUp(&listing, key: key) }
            return
        }
        let held = state.knownJobs(key)?.entryCount ?? 0
        let total = listing.lastTotal ?? held
        state.setCatchUp(
            key, owner: owner,
            CatchUpProgress(
                startedAt: pending.startedWall, pages: catchUp.pages, jobs: catchUp.jobs,
                backlog: max(1, total - held), failedPages: pending.failedPages))
    }

    /// Counts and logs the limits the catch-up's pages reached since the last due poll, once
    /// each, besides those the due poll itself `counted`.
    func countCatchUpLimits(
        _ listing: inout ListingPollState, key: ListingKey, besides counted: Set<ListingLimit>
    ) {
        guard let reached = listing.catchUp?.limitsReached, !reached.isEmpty else { return }
        listing.catchUp?.limitsReached = []
        let uncounted = reached.subtracting(counted)
        guard !uncounted.isEmpty else { return }
        state.countLimits(uncounted, key: key, owner: owner)
        logLimits(uncounted, cloud: key.cloud)
    }

    /// The catch-up ended (every gap read, or a complete walk took over).
    func endCatchUp(_ listing: inout ListingPollState, key: ListingKey) {
        countCatchUpLimits(&listing, key: key, besides: [])
        if let pending = listing.catchUp {
            let duration = (clock.now() - pending.started) / .seconds(1)
            logger.info(
                "caught up",
                metadata: [
                    "cloud": "\(listing.listing.name)", "duration": "\(String(format: "%.3fs", duration))",
                    "walk": "\(listing.walk != nil)",
                ])
        }
        listing.catchUp = nil
        state.setCatchUp(key, owner: owner, nil)
    }

}

/// A catch-up under way, as the poller tracks it.
struct PendingCatchUp {
    let started: ContinuousClock.Instant
    let startedWall: Double
    var failedPages = 0
    /// When a failed page may be asked again.
    var retryAt: ContinuousClock.Instant?
    /// When a page of it was last published.
    var lastPublished: ContinuousClock.Instant?
    /// Limits its pages reached since they were last counted (at a due poll or its end).
    var limitsReached: Set<ListingLimit> = []

    init(started: ContinuousClock.Instant, startedWall: Double) {
        self.started = started
        self.startedWall = startedWall
    }
}

extension ListingPollState {
    /// True when a page of the catch-up may be taken now.
    func catchUpIsReady(at now: ContinuousClock.Instant) -> Bool {
        progress.catchUp.next != nil && (catchUp?.retryAt ?? now) <= now
    }
}
