/// When each listing of a CM needs a complete listing instead of an incremental poll.
///
/// Incremental polls only see new jobs and the ones that were running: jobs CM deleted or
/// purged since stay counted in `cckm_sync_jobs` until a complete listing. So one comes every
/// `interval` (`--poll.full-resync-interval`), at start (also after a reload replaced the
/// poller), and after any failed poll; an interval of zero makes every poll complete.
struct FullResyncSchedule {
    let interval: Duration
    private var lastComplete: [String: ContinuousClock.Instant] = [:]

    init(interval: Duration) {
        self.interval = interval
    }

    /// True when the next poll of `cloud` must walk the whole listing.
    func needsComplete(_ cloud: String, now: ContinuousClock.Instant) -> Bool {
        guard interval > .zero, let last = lastComplete[cloud] else { return true }
        return now - last >= interval
    }

    /// A complete listing of `cloud` that started at `start` was applied.
    mutating func completed(_ cloud: String, startedAt start: ContinuousClock.Instant) {
        lastComplete[cloud] = start
    }

    /// A poll of `cloud` failed: what it missed is unknown, so the next one is complete.
    mutating func failed(_ cloud: String) {
        lastComplete[cloud] = nil
    }
}
