import CMWire

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
