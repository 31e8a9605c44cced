import CCKMClient
import JobMetrics

/// Where a complete walk's life touches more than its pages: the wait before a failed page
/// is asked again, what a walk that covered the listing tells of its oldest job, and the
/// walks a stop cuts short.
extension CMPoller {
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
