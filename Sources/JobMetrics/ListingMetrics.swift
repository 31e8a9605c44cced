import CMWire

/// What one listing (one CM, one cloud) contributes to a ``MetricsSnapshot``: an immutable
/// value that ``ListingAggregator`` builds after each complete listing and the exposition
/// writer and status page read from any thread.
///
/// Counters (``finished``, ``invalidJobs``) and ``lastFinished`` hold everything seen since
/// the exporter started; the other fields describe the last complete listing only.
public struct ListingMetrics: Sendable, Equatable {
    public let key: ListingKey
    /// False until the first complete listing was applied: then the listing has no job
    /// series at all (no zeros that would look like a real, empty listing).
    public let hasListing: Bool
    /// `cckm_sync_jobs`: jobs of the last listing by status; the four known statuses always
    /// present. Sorted by status.
    public let jobsByStatus: [StatusCount]
    /// `cckm_sync_jobs_finished_total` and `cckm_sync_job_duration_seconds`: one histogram per
    /// status (its count is the counter); `completed`, `failed`, `aborted` always present.
    /// Sorted by status.
    public let finished: [StatusHistogram]
    /// `cckm_sync_region_in_progress`: distinct regions in progress inside running jobs, sorted;
    /// at most ``ListingLimits/regionSeries`` of them.
    public let regionsInProgress: [RegionInProgress]
    /// `cckm_sync_regions_in_progress`: every distinct region in progress, however many.
    public let regionsInProgressCount: Int
    /// `cckm_sync_oldest_running_job_start_timestamp_seconds`; nil when no job runs.
    public let oldestRunningJobStart: Double?
    /// `cckm_sync_last_finished_timestamp_seconds`: newest `completed_at` seen per status,
    /// never going back; a cancelled job that ended `completed` does not count. Sorted by status.
    public let lastFinished: [StatusTimestamp]
    /// `cckm_sync_jobs_cancelled_total`: distinct finished jobs whose `abort` was true.
    public let cancelled: UInt64
    /// The newest cancelled job counted: the exemplar of `cckm_sync_jobs_cancelled_total`.
    public let cancelledExemplar: JobExemplar?
    /// `cckm_sync_last_cancelled_timestamp_seconds`: newest `completed_at` of a cancelled
    /// finished job, never going back; nil before the first one.
    public let lastCancelled: Double?
    /// `cckm_sync_latest_job_status`: the status of the most recently created job of the last
    /// listing (greatest `createdAt`, ties broken by the greater id); nil for an empty listing.
    public let latestJobStatus: String?
    /// `cckm_jobs_invalid_total`: every reason, 0 when none. Sorted by reason.
    public let invalidJobs: [InvalidCount]
    /// Running jobs of the last listing, oldest first (for the status page).
    public let runningJobs: [RunningJob]
    /// Up to ``ListingMetrics/recentFailureLimit`` finished jobs of the last listing whose status
    /// is anything but `completed` (failed, aborted, or an unknown status such as `error`), or
    /// that were cancelled, newest `completed_at` first (for the status page).
    public let recentFailures: [FailedJobSummary]

    /// How many failed or aborted jobs ``recentFailures`` keeps.
    public static let recentFailureLimit = 10

    public init(
        key: ListingKey, hasListing: Bool, jobsByStatus: [StatusCount], finished: [StatusHistogram],
        regionsInProgress: [RegionInProgress], regionsInProgressCount: Int? = nil,
        oldestRunningJobStart: Double?,
        lastFinished: [StatusTimestamp], cancelled: UInt64 = 0, cancelledExemplar: JobExemplar? = nil,
        lastCancelled: Double? = nil,
        latestJobStatus: String?, invalidJobs: [InvalidCount],
        runningJobs: [RunningJob], recentFailures: [FailedJobSummary]
    ) {
        self.cancelled = cancelled
        self.cancelledExemplar = cancelledExemplar
        self.lastCancelled = lastCancelled
        self.key = key
        self.hasListing = hasListing
        self.jobsByStatus = jobsByStatus
        self.finished = finished
        self.regionsInProgress = regionsInProgress
        self.regionsInProgressCount = regionsInProgressCount ?? regionsInProgress.count
        self.oldestRunningJobStart = oldestRunningJobStart
        self.lastFinished = lastFinished
        self.latestJobStatus = latestJobStatus
        self.invalidJobs = invalidJobs
        self.runningJobs = runningJobs
        self.recentFailures = recentFailures
    }

    /// The metrics of a listing not polled successfully yet: no job series at all.
    public static func empty(_ key: ListingKey) -> ListingMetrics {
        ListingMetrics(
            key: key, hasListing: false, jobsByStatus: [], finished: [], regionsInProgress: [],
            oldestRunningJobStart: nil, lastFinished: [], latestJobStatus: nil, invalidJobs: [],
            runningJobs: [], recentFailures: [])
    }
}

/// A number of jobs with one `overall_status`.
public struct StatusCount: Sendable, Equatable {
    public let status: String
    public let count: UInt64
    public init(status: String, count: UInt64) {
        self.status = status
        self.count = count
    }
}

/// A time in seconds since the epoch for one status.
public struct StatusTimestamp: Sendable, Equatable {
    public let status: String
    public let seconds: Double
    public init(status: String, seconds: Double) {
        self.status = status
        self.seconds = seconds
    }
}

/// The duration histogram of the jobs finished with one status, and the newest of them.
public struct StatusHistogram: Sendable, Equatable {
    public let status: String
    public let histogram: DurationHistogram
    /// The newest job counted in this status (nil before the first one).
    public let exemplar: JobExemplar?
    public init(status: String, histogram: DurationHistogram, exemplar: JobExemplar? = nil) {
        self.status = status
        self.histogram = histogram
        self.exemplar = exemplar
    }
}

/// How many jobs were skipped for one reason.
public struct InvalidCount: Sendable, Equatable {
    public let reason: InvalidJobReason
    public let count: UInt64
    public init(reason: InvalidJobReason, count: UInt64) {
        self.reason = reason
        self.count = count
    }
}

/// A job running in the last listing.
public struct RunningJob: Sendable, Equatable {
    public let id: String
    /// `createdAt`, seconds since the epoch.
    public let createdAt: Double
    /// Its `detailed_status` entries that are `in_progress`, in document order.
    public let regionsInProgress: [RegionInProgress]
    public init(id: String, createdAt: Double, regionsInProgress: [RegionInProgress]) {
        self.id = id
        self.createdAt = createdAt
        self.regionsInProgress = regionsInProgress
    }
}

/// A finished job whose status is not `completed`, or that was cancelled (`abort: true`)
/// whatever its status, with its `detailed_status` texts (the error messages an operator
/// wants to read).
public struct FailedJobSummary: Sendable, Equatable {
    public let id: String
    public let status: String
    /// `completed_at`, seconds since the epoch.
    public let completedAt: Double
    public let detailedStatus: [SyncJob.ScopeStatus]
    /// A cancel was requested (`abort: true`): the status page marks the job cancelled.
    public let cancelled: Bool
    public init(
        id: String, status: String, completedAt: Double, detailedStatus: [SyncJob.ScopeStatus],
        cancelled: Bool = false
    ) {
        self.id = id
        self.status = status
        self.completedAt = completedAt
        self.detailedStatus = detailedStatus
        self.cancelled = cancelled
    }

    init(_ job: SyncJob, completedAt: Double) {
        self.init(
            id: job.id, status: job.status, completedAt: completedAt,
            detailedStatus: job.detailedStatus, cancelled: job.isCancelled)
    }
}
