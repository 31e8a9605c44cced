import CCKMClient
import Foundation
import JobMetrics

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
}
