import CCKMClient
import CMWire
import JobMetrics
import Logging

/// What a listing's consistency checks remember between checks.
struct ConsistencyMemory {
    /// The mismatch the last complete walk was started for; the next check tells whether
    /// the walk explained it.
    var walkedFor: TotalsMismatch?
    /// True once a walk was applied since ``walkedFor`` was set (one that failed or timed out
    /// explained nothing: the mismatch is walked for again).
    var walkEnded = false
    /// True when that walk listed as many entries as CM's `total` counted
    /// (``CompleteWalk/agreesWithTotal``).
    var walkAgreedWithTotal = false
    /// A mismatch that survived a fresh complete walk: while checks find the same one, it
    /// starts no walk (CM's `total` counts entries its listing never shows, say).
    var accepted: TotalsMismatch?

    /// True when `mismatch` is the one the last walk was started for and that walk, applied,
    /// did not explain it. A difference in the listing's `total` after a walk that agreed
    /// with that total arose since (another purge of the same size, say): a new difference.
    func survivedWalk(_ mismatch: TotalsMismatch) -> Bool {
        guard mismatch == walkedFor, walkEnded else { return false }
        return !walkAgreedWithTotal || (mismatch.excess[TotalsMismatch.allEntries] ?? 0) == 0
    }
}

/// The consistency check, every `--poll.full-resync-interval`: CM's documented totals
/// (``CMClient/totals(_:statuses:deadline:sent:)``) against what is held, so incremental
/// polls need no periodic complete walk.
///
/// A check may start a complete walk only when all of this holds:
/// 1. The totals, read between what was held before and after them (an incremental poll
///    follows the reads), lie outside what those allow
///    (``ListingTotals/mismatch(heldBefore:heldAfter:)``): jobs created or finished
///    meanwhile make no mismatch.
/// 2. It is not the mismatch remembered after a walk did not explain it
///    (``ConsistencyMemory/accepted``).
/// 3. When CM holds fewer entries: reading the listing's far end
///    (``CMClient/farEnd(_:order:total:deadline:sent:)``) and dropping the held jobs created
///    before its newest job there and not listed there did not make the totals agree (a
///    purge is repaired so, in a few requests, also one that left an old running job). When CM holds more: a second comparison found a mismatch too.
/// 4. The last walk was not started for this same mismatch: a mismatch that survives a fresh
///    complete walk is remembered instead, logged once and shown on the status page. So each
///    difference between CM's totals and its listing costs one walk at most. A walk that
///    listed as many entries as CM's `total` explained the listing's total: a difference in
///    it found later, however equal in size (purges of a fixed count behind an old running
///    job, which the far end cannot repair), is a new one and walked for
///    (``ConsistencyMemory/survivedWalk(_:)``).
extension CMPoller {
    /// One comparison of the totals with what is held around them.
    private enum Comparison {
        case agree
        case mismatch(TotalsMismatch)
        /// The incremental poll in between started a walk, the listing is gone, or CM's answer
        /// gave no `total` to compare.
        case interrupted
    }

    /// The consistency check of `listing` (see the extension's documentation).
    func checkTotals(
        _ listing: inout ListingPollState, key: ListingKey, started: ContinuousClock.Instant,
        deadline: ContinuousClock.Instant
    ) throws(CMError) {
        listing.nextCheck = clock.now() + fullResyncInterval
        var comparison = try compareTotals(&listing, key: key, started: started, deadline: deadline)
        guard case .mismatch(let first) = comparison else {
            return noteAgreement(comparison, &listing, key: key)
        }
        if first == listing.consistency.accepted { return }
        if first.cmHoldsFewer {
            if let dropped = try repairPurge(&listing, key: key, total: first.totals.all, deadline: deadline)
            {
                comparison = try compareTotals(&listing, key: key, started: started, deadline: deadline)
                if case .agree = comparison, dropped > 0 {
                    logger.info(
                        "purge repaired without a complete walk",
                        metadata: ["cloud": "\(listing.listing.name)", "dropped": "\(dropped)"])
                }
            }
        } else {
            // CM's counts may lag its listing a moment (a cluster's nodes): ask once more.
            comparison = try compareTotals(&listing, key: key, started: started, deadline: deadline)
        }
        guard case .mismatch(let mismatch) = comparison else {
            return noteAgreement(comparison, &listing, key: key)
        }
        if mismatch == listing.consistency.accepted { return }
        if listing.consistency.survivedWalk(mismatch) {
            listing.consistency = ConsistencyMemory(accepted: mismatch)
            logger.warning(
                "consistency check: a complete walk did not explain CM's totals; no more walks for this mismatch",
                metadata: ["cloud": "\(listing.listing.name)", "mismatch": "\(mismatch)"])
            state.setConsistencyNote(
                key, owner: owner,
                "\(mismatch); a complete walk did not explain it, so it starts no more walks until it changes"
            )
            return
        }
        listing.consistency.walkedFor = mismatch
        listing.consistency.walkEnded = false
        listing.consistency.walkAgreedWithTotal = false
        logger.info(
            "consistency check found a mismatch: walking the whole listing",
            metadata: ["cloud": "\(listing.listing.name)", "mismatch": "\(mismatch)"])
        startWalk(&listing, key: key, reason: "consistency check: \(mismatch)", now: clock.now())
    }

    /// The totals, read between two looks at what is held: the one before them, and the one
    /// after the incremental poll that follows them.
    private func compareTotals(
        _ listing: inout ListingPollState, key: ListingKey, started: ContinuousClock.Instant,
        deadline: ContinuousClock.Instant
    ) throws(CMError) -> Comparison {
        // Counts only: a copy of the table held across the poll would be copied whole on apply.
        guard listing.walk == nil, !listing.progress.catchUp.isOpen,
            let before = state.knownJobs(key).map(HeldCounts.init)
        else {
            return .interrupted
        }
        var sent = 0
        let statuses = listing.statusFilter == .ignored ? [] : KnownJobStatus.allCases.map(\.rawValue)
        guard
            let totals = try client.totals(
                listing.listing, statuses: statuses, deadline: deadline, sent: &sent)
        else { return .interrupted }
        if totals.statusFilterIgnored { listing.statusFilter = .ignored }
        try pollIncrementally(&listing, key: key, started: started, deadline: deadline)
        guard listing.walk == nil, !listing.progress.catchUp.isOpen,
            let after = state.knownJobs(key).map(HeldCounts.init)
        else {
            return .interrupted
        }
        return totals.mismatch(heldBefore: before, heldAfter: after).map(Comparison.mismatch) ?? .agree
    }

    /// Reads the listing's far end and drops the held jobs it shows purged (created before
    /// its newest job there, not listed there). Returns how many were dropped, or nil when the
    /// far end told nothing.
    private func repairPurge(
        _ listing: inout ListingPollState, key: ListingKey, total: Int, deadline: ContinuousClock.Instant
    ) throws(CMError) -> Int? {
        var sent = 0
        guard
            let farEnd = try client.farEnd(
                listing.listing, order: listing.order, total: total, deadline: deadline, sent: &sent)
        else { return nil }
        return state.dropPurged(key, owner: owner, farEnd: farEnd)
    }

    /// The totals agree (or the check was interrupted): what was remembered of a mismatch
    /// goes.
    private func noteAgreement(_ comparison: Comparison, _ listing: inout ListingPollState, key: ListingKey) {
        guard case .agree = comparison else { return }
        if listing.consistency.accepted != nil {
            logger.info(
                "consistency check: CM's totals agree again", metadata: ["cloud": "\(listing.listing.name)"])
        }
        listing.consistency = ConsistencyMemory()
        // Also a note a replaced poller left (the status survives a reload, the memory not).
        state.setConsistencyNote(key, owner: owner, nil)
    }
}
