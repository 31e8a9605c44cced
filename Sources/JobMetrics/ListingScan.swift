import CMWire

/// One pass over a complete listing: everything that describes the listing as it is now
/// (gauges and status page data), as opposed to what ``ListingAggregator`` accumulates.
struct ListingScan {
    private(set) var countsByStatus: [String: UInt64] = [:]
    private(set) var runningJobs: [RunningJob] = []
    private(set) var regionsInProgress: Set<RegionInProgress> = []
    private(set) var oldestRunningJobStart: Double?
    private(set) var oldestCreatedAt: Double?
    private(set) var latestJob: (createdAt: Double, id: String, status: String)?
    private(set) var recentFailures: [FailedJobSummary] = []

    init(_ jobs: [SyncJob]) {
        for status in KnownJobStatus.allCases { countsByStatus[status.rawValue] = 0 }
        for job in jobs { visit(job) }
        runningJobs.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    private mutating func visit(_ job: SyncJob) {
        countsByStatus[job.status, default: 0] += 1
        oldestCreatedAt = min(oldestCreatedAt ?? job.createdAt, job.createdAt)
        noteLatest(job)
        if job.isRunning {
            noteRunning(job)
        } else if let completedAt = job.finishedAt, job.isFailureOrCancellation {
            noteFailure(job, completedAt: completedAt)
        }
    }

    private mutating func noteLatest(_ job: SyncJob) {
        if let latest = latestJob, (latest.createdAt, latest.id) >= (job.createdAt, job.id) { return }
        latestJob = (job.createdAt, job.id, job.status)
    }

    private mutating func noteRunning(_ job: SyncJob) {
        let regions = job.detailedStatus
            .filter { $0.text == KnownJobStatus.inProgress.rawValue }
            .map { RegionInProgress(scope: $0.scope) }
        regionsInProgress.formUnion(regions)
        runningJobs.append(RunningJob(id: job.id, createdAt: job.createdAt, regionsInProgress: regions))
        oldestRunningJobStart = min(oldestRunningJobStart ?? job.createdAt, job.createdAt)
    }

    /// Keeps the newest few failures in order, without sorting every failed job of a long history.
    private mutating func noteFailure(_ job: SyncJob, completedAt: Double) {
        let limit = ListingMetrics.recentFailureLimit
        func isNewer(_ a: FailedJobSummary, than b: FailedJobSummary) -> Bool {
            (a.completedAt, a.id) > (b.completedAt, b.id)
        }
        let summary = FailedJobSummary(job, completedAt: completedAt)
        if recentFailures.count == limit {
            guard let oldest = recentFailures.last, isNewer(summary, than: oldest) else { return }
            recentFailures.removeLast()
        }
        let index = recentFailures.firstIndex { isNewer(summary, than: $0) } ?? recentFailures.endIndex
        recentFailures.insert(summary, at: index)
    }
}

extension SyncJob {
    /// Contract section 2: running means `overall_status == "in_progress"`.
    var isRunning: Bool { status == KnownJobStatus.inProgress.rawValue }

    /// Contract section 2: a finished job has any other status and a `completed_at` that
    /// parsed and is not before `createdAt`; nil for any other job.
    var finishedAt: Double? {
        guard !isRunning, let completedAt, completedAt >= createdAt else { return nil }
        return completedAt
    }

    /// A cancel was requested (`abort: true`): the only reliable sign of a cancelled job,
    /// which ends `aborted` on AWS and `completed` on Google (API-FACTS).
    var isCancelled: Bool { abortRequested }

    /// True when this finished job moves `cckm_sync_last_finished_timestamp_seconds` for its
    /// status: every one but a cancelled job that ended `completed`, which is no success.
    var movesLastFinished: Bool {
        !(isCancelled && status == KnownJobStatus.completed.rawValue)
    }

    /// Contract section 2 and the status page: a finished job shown among the recent
    /// failures (any status but `completed`, or cancelled whatever its status).
    var isFailureOrCancellation: Bool {
        status != KnownJobStatus.completed.rawValue || isCancelled
    }
}
