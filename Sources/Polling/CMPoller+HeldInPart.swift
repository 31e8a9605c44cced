import CCKMClient
import Foundation
import JobMetrics

/// A listing held in part (more jobs than `--cm.max-jobs`, ``ListingPollState/heldPartly``)
/// gets no consistency check: what is held cannot agree with CM's totals. Its complete walks
/// end at the limit and observe no oldest job either, so without this the finished ids behind
/// its counters (``FinishedJobLedger``) would never be forgotten. On the check's schedule, the
/// listing's far end is read instead (``CMClient/farEnd(_:order:total:deadline:sent:)``: a
/// request or few) and its oldest job observed, as a walk that covers the listing does.
extension CMPoller {
    /// Reads the far end of `listing` and observes CM's oldest job from it.
    func observeOldest(
        _ listing: inout ListingPollState, key: ListingKey, deadline: ContinuousClock.Instant
    ) throws(CMError) {
        listing.nextCheck = clock.now() + fullResyncInterval
        guard let total = listing.lastTotal else { return }
        var sent = 0
        guard
            let farEnd = try client.farEnd(
                listing.listing, order: listing.order, total: total, deadline: deadline, sent: &sent)
        else { return }
        state.observeOldest(key, owner: owner, createdAt: farEnd.oldest)
    }
}
