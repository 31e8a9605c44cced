import Synchronization

/// Counts refused basic-auth attempts (``count``, which the server exposes under a metric name
/// of its own) and reports them at most once per ``logInterval``, so a flood cannot fill the disk. Nothing from the
/// request but its source address is kept: the user name often holds a password typed into
/// the wrong field.
public final class AuthFailureCounter: Sendable {
    /// One rate-limited report: the failures since the previous one.
    public struct Report: Sendable, Equatable {
        /// Failures since the previous report, this one included.
        public var failures: Int
        /// Of those, attempts refused with 429 without a check.
        public var throttled: Int
        /// Source address of the latest failure.
        public var latestAddress: String
    }

    private struct Pending {
        var lastReport: ContinuousClock.Instant?
        var failures = 0
        var throttled = 0
    }

    /// Minimum time between two reports.
    public let logInterval: Duration
    private let total = Atomic<UInt64>(0)
    private let pending = Mutex(Pending())
    private let report: @Sendable (Report) -> Void

    /// `report` is called (on the refusing thread) with at most one ``Report`` per `logInterval`.
    public init(logInterval: Duration = .seconds(10), report: @escaping @Sendable (Report) -> Void = { _ in })
    {
        self.logInterval = logInterval
        self.report = report
    }

    /// Failures so far.
    public var count: UInt64 { total.load(ordering: .relaxed) }

    /// Counts one refused attempt from `address` (`throttled`: refused with 429, unchecked).
    public func record(address: String, throttled: Bool, now: ContinuousClock.Instant = .now) {
        total.add(1, ordering: .relaxed)
        let due = pending.withLock { state -> Report? in
            state.failures += 1
            if throttled { state.throttled += 1 }
            if let last = state.lastReport, now - last < logInterval { return nil }
            defer {
                state = Pending(lastReport: now)
            }
            return Report(failures: state.failures, throttled: state.throttled, latestAddress: address)
        }
        if let due { report(due) }
    }
}
