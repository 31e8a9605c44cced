/// The poll state of one listing: `cckm_up`, `cckm_last_poll_success_timestamp_seconds`,
/// `cckm_poll_duration_seconds` and `cckm_poll_errors_total`.
///
/// Nothing is written for a listing not attempted yet; once attempted, `cckm_up` and every
/// `reason` of `cckm_poll_errors_total` (0 when none) are always present, the success
/// timestamp from the first success on.
public struct PollHealth: Sendable, Equatable {
    public var key: ListingKey
    /// True once a poll of the listing finished, successfully or not.
    public var attempted: Bool
    /// True when the last poll succeeded.
    public var up: Bool
    /// End of the last successful poll, seconds since the epoch.
    public var lastSuccessTimestamp: Double?
    /// Wall time of the last poll, seconds.
    public var lastPollDurationSeconds: Double?
    /// Failed polls by reason since start.
    public var errorsTotal: [PollErrorReason: UInt64]
    /// The complete walk of the listing under way, if any:
    /// `cckm_listing_walk_started_timestamp_seconds` and the status page's progress.
    public var walk: WalkProgress?
    /// The catch-up of the listing's newest jobs under way, if any:
    /// `cckm_listing_catchup_backlog_jobs` and the status page's progress.
    public var catchUp: CatchUpProgress?
    /// How often each limit on what CM data may cost bit (polls in which it did).
    public var limitsReached: [ListingLimit: UInt64] = [:]
    /// What the exporter found about the listing's order, when it is not the one asked for
    /// (``ListingOrder``'s note): said on the status page.
    public var orderNote: String?
    /// A mismatch between CM's totals and what its listing shows that a complete walk did not
    /// explain, remembered so it starts no more walks: said on the status page.
    public var consistencyNote: String?

    public init(key: ListingKey) {
        self.key = key
        attempted = false
        up = false
        lastSuccessTimestamp = nil
        lastPollDurationSeconds = nil
        errorsTotal = [:]
    }
}
