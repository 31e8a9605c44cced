import CMWire
import JobMetrics

/// The jobs that left the running set and whose `GET …/{id}` failed (404, 403, 410, 500, an
/// answer that does not decode): each is asked again on the next polls while the rest of the
/// listing keeps being polled; once it has failed ``triesBeforeDecision`` times and
/// ``timeBeforeDecision`` has passed since its first failure, the listing itself decides
/// (``IncrementalLister``: the `id` filter): absent, the job is gone and leaves the metrics as a
/// purged job does; present, the listing's copy is used. A real CM was seen answering 500 for
/// an unknown id (API-FACTS), so no status is taken to mean "gone" on its own.
///
/// Time is the poller's injected clock, passed in as `now`.
public struct JobReadRetries: Sendable {
    /// One job whose reads fail.
    public struct Failure: Sendable, Equatable {
        /// The first failed try, on the poller's monotonic clock.
        public var firstFailed: ContinuousClock.Instant
        public var tries: Int
        public var lastError: CMError
    }

    /// Failed tries before the listing decides (if ``timeBeforeDecision`` has passed too).
    public static let triesBeforeDecision = 5
    /// Time since the first failure before the listing decides (if the tries are spent too).
    /// Below the 30 s the contract allows, so a gone job's metrics leave within 30 s.
    public static let timeBeforeDecision: Duration = .seconds(20)

    public private(set) var failures: [String: Failure] = [:]

    public init() {}

    /// Records a failed try; returns true for a job's first failure (logged once).
    mutating func fail(_ id: String, error: CMError, now: ContinuousClock.Instant) -> Bool {
        if failures[id] != nil {
            failures[id]!.tries += 1
            failures[id]!.lastError = error
            return false
        }
        failures[id] = Failure(firstFailed: now, tries: 1, lastError: error)
        return true
    }

    /// True when the listing should decide about `id` instead of another `GET`.
    func isDue(_ id: String, now: ContinuousClock.Instant) -> Bool {
        guard let failure = failures[id] else { return false }
        return failure.tries >= Self.triesBeforeDecision
            && now - failure.firstFailed >= Self.timeBeforeDecision
    }

    /// Forgets `id` (read at last, or decided).
    mutating func forget(_ id: String) { failures[id] = nil }

    /// Forgets every job not among `ids` (no longer a running job the poll must read).
    mutating func keep(only ids: Set<String>) {
        failures = failures.filter { ids.contains($0.key) }
    }

    /// True for an error of one job's read that is the job's own (an HTTP answer, or one that
    /// does not decode), not CM's being unreachable (connect, TLS, timeout: the poll fails).
    static func isJobError(_ error: CMError) -> Bool {
        error.reason == .http || error.reason == .decode || error.reason == .auth
    }
}

/// What happened to one job's reads in a poll, for the poller's log and error counter.
public struct JobReadEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A `GET …/{id}` failed (`first`: its first failure, logged).
        case failed(CMError, first: Bool)
        /// The listing no longer holds the job: it left the metrics.
        case gone
        /// The listing holds the job: its copy there was used.
        case listingCopy
    }

    public var id: String
    public var kind: Kind
}
