/// The newest finished job counted in one status series: the exemplar that
/// `cckm_sync_job_duration_seconds` (value: its duration) and `cckm_sync_jobs_finished_total`
/// (value: 1) carry in OpenMetrics and protobuf, with the label `sync_job_id`, so an alert or
/// a graph names a job an operator can look up.
///
/// "Newest" is the greatest `completed_at`, ties broken by the greater id, so the outcome does
/// not depend on the order a listing came in.
public struct JobExemplar: Sendable, Equatable {
    /// The job's `id`.
    public let jobID: String
    /// `completed_at − createdAt`, seconds.
    public let duration: Double
    /// `completed_at`, seconds since the epoch: the exemplar's timestamp.
    public let completedAt: Double

    public init(jobID: String, duration: Double, completedAt: Double) {
        self.jobID = jobID
        self.duration = duration
        self.completedAt = completedAt
    }

    /// The exemplar's one label name.
    public static let labelName = "sync_job_id"

    /// OpenMetrics caps an exemplar's label names and values together at 128 characters; an
    /// id longer than this leaves its series without exemplar (a cut id would name no job).
    public static let maxIDLength = 128 - labelName.count

    /// True when the id fits the limit and can be written.
    public var isWritable: Bool { jobID.unicodeScalars.count <= Self.maxIDLength }

    /// True when `self` is newer than `other` (or `other` is nil).
    func isNewer(than other: JobExemplar?) -> Bool {
        guard let other else { return true }
        if completedAt != other.completedAt { return completedAt > other.completedAt }
        return other.jobID.precedesInBytes(jobID)
    }
}
