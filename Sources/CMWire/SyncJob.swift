/// One CCKM synchronization job, reduced to the fields the metrics need.
///
/// Decoded from one element of a listing's `resources` array (see ``JobPageDecoder``).
/// Timestamps are seconds since the Unix epoch (UTC).
public struct SyncJob: Sendable, Equatable {
    /// The job's `id` (a UUID in practice; kept verbatim).
    public var id: String
    /// `overall_status` verbatim: `in_progress`, `completed`, `failed`, `aborted`, or any other.
    public var status: String
    /// `createdAt`, seconds since the epoch.
    public var createdAt: Double
    /// `completed_at`, or nil when absent, null, Go's zero time `0001-01-01T00:00:00Z`,
    /// or unparseable (see ``completedAtInvalid``).
    public var completedAt: Double?
    /// True when `completed_at` was present but could not be parsed.
    public var completedAtInvalid: Bool
    /// `abort`: a cancel was requested.
    public var abortRequested: Bool
    /// `detailed_status` entries (scope → free text) in document order.
    public var detailedStatus: [ScopeStatus]

    /// One `detailed_status` entry, e.g. `"123456789012/us-east-1": "in_progress"`.
    public struct ScopeStatus: Sendable, Equatable {
        public var scope: String
        public var text: String
        public init(scope: String, text: String) {
            self.scope = scope
            self.text = text
        }
    }

    public init(
        id: String, status: String, createdAt: Double, completedAt: Double? = nil,
        completedAtInvalid: Bool = false, abortRequested: Bool = false,
        detailedStatus: [ScopeStatus] = []
    ) {
        self.id = id
        self.status = status
        self.createdAt = createdAt
        self.completedAt = completedAt
        self.completedAtInvalid = completedAtInvalid
        self.abortRequested = abortRequested
        self.detailedStatus = detailedStatus
    }
}

/// The statuses CipherTrust Manager documents; others are kept verbatim as label values.
public enum KnownJobStatus: String, CaseIterable, Sendable {
    case inProgress = "in_progress"
    case completed
    case failed
    case aborted
}
