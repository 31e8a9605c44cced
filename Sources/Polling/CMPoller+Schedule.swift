import CCKMClient
import Foundation

/// When each listing of a CM is polled: the polling thread's loop (each listing's due poll on
/// its schedule, pages of complete walks and catch-ups taken in turn between them, sleep until
/// the next is due), and the same driven poll by poll for tests.
extension CMPoller {
    /// The polling thread's loop, until ``stop()``.
    func run() {
        var listings = target.clouds.compactMap(Listing.named).map(initialState)
        var nextWalk = 0
        while !stopSignal.isStopped {
            let now = clock.now()
            for index in listings.indices where listings[index].nextPoll <= now && !stopSignal.isStopped {
                duePoll(&listings[index])
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
        var failure = duePoll(&listing)
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
}

/// When a listing has work for the polling thread.
extension ListingPollState {
    /// True when a page of the walk may be taken now (not waiting out a failed page's backoff).
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
