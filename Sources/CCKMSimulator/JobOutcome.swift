/// How a simulated job ends.
public enum JobOutcome: Sendable, Equatable {
    /// Every scope entry synchronizes; the job ends `completed`.
    case completed
    /// One scope entry gets an error text and the job ends `failed`.
    case failed
    /// A cancel is requested while it runs; it ends `aborted` (`completed` for google, as GCP
    /// jobs do), with the entry it was working on left at a stale `in_progress`.
    case aborted
    /// Never finishes on its own: the last scope entry stays `in_progress` until cancelled.
    case running
    /// Ends like ``completed`` but with this `overall_status` verbatim (e.g. `error`), for
    /// testing statuses beyond the documented ones.
    case status(String)

    /// Parses `completed`, `failed`, `aborted`, `running`; any other text becomes ``status(_:)``.
    public init(name: String) {
        switch name {
        case "completed": self = .completed
        case "failed": self = .failed
        case "aborted": self = .aborted
        case "running", "in_progress": self = .running
        default: self = .status(name)
        }
    }
}

/// How a running job writes `completed_at`. CipherTrust Manager (Go) writes the zero time;
/// the contract says clients must also accept the field absent or `null`.
public enum CompletedAtStyle: String, Sendable, Equatable, CaseIterable {
    /// `"completed_at": "0001-01-01T00:00:00Z"`, as the real CM does.
    case goZeroTime = "zero_time"
    /// No `completed_at` key at all.
    case absent
    /// `"completed_at": null`.
    case null
}
