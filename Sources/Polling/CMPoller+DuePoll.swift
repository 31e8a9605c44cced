import CCKMClient
import Foundation
import JobMetrics
import Logging

/// One listing's due poll: the incremental poll (``IncrementalLister``) with what it found
/// applied, and the consistency check when it is due; or the start of a complete walk while
/// the listing has no base to poll incrementally.
extension CMPoller {
    /// The due poll of a listing: the incremental poll and, when due, the consistency check;
    /// or the start of a complete walk. Returns the error when the poll failed.
    @discardableResult
    func duePoll(_ listing: inout ListingPollState) -> CMError? {
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
            } else if let due = listing.nextCheck, due <= now, listing.walk == nil, listing.heldPartly {
                try observeOldest(&listing, key: key, deadline: deadline)
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

    /// One incremental poll of `listing`, what it found applied (or the walk it asks for
    /// started).
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
}
