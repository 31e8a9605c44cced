/// What the simulator's own data says every job metric of one listing should be: a fresh
/// complete walk of the listing as it is now (on the live node), plus every finished job it
/// ever held, the purged and deleted ones included. Tests compare each metric with it;
/// `GET /sim/truth?listing=aws` serves it to scripts.
///
/// Computed from the simulator's plans, not from what it rendered or what a client read, so it
/// is an oracle independent of the exporter's decoder and aggregation. Times are the
/// simulator's own doubles; the API writes them with microseconds, so compare durations and
/// timestamps within a few microseconds per job.
public struct SimulatorTruth: Sendable, Equatable {
    /// The simulated time the truth is of.
    public var time: Double
    /// Jobs listed now, by `overall_status`.
    public var jobsByStatus: [String: Int]
    /// Every finished job ever held, by status: how many, and the sum of their durations
    /// (`completed_at − createdAt`), the count and sum of `cckm_sync_job_duration_seconds`.
    public var finished: [String: FinishedJobs]
    /// Finished jobs ever held whose `abort` was true.
    public var cancelled: Int
    /// Newest `completed_at` per status over every finished job ever held, a cancelled job that
    /// ended `completed` left out.
    public var lastFinished: [String: Double]
    /// Newest `completed_at` of a cancelled job ever held.
    public var lastCancelled: Double?
    /// The `detailed_status` keys in progress in running jobs, distinct and sorted.
    public var scopesInProgress: [String]
    /// `createdAt` of the oldest running job; nil when none runs.
    public var oldestRunningJobStart: Double?
    /// Status of the newest job; nil for an empty listing.
    public var latestJobStatus: String?

    /// The finished jobs of one status.
    public struct FinishedJobs: Sendable, Equatable {
        public var count: Int
        public var durationSum: Double
        public init(count: Int = 0, durationSum: Double = 0) {
            self.count = count
            self.durationSum = durationSum
        }
    }

    /// Jobs listed now, all statuses.
    public var total: Int { jobsByStatus.values.reduce(0, +) }
    /// Running jobs now.
    public var running: Int { jobsByStatus["in_progress"] ?? 0 }

    init(store: JobStore, departed: [FinishedRecord], now: Double) {
        time = now
        jobsByStatus = [:]
        finished = [:]
        cancelled = 0
        lastFinished = [:]
        var scopes: Set<String> = []
        var records = departed
        for job in store.jobs {
            let status = store.status(of: job, at: now)
            jobsByStatus[status, default: 0] += 1
            let timeline = job.timeline(at: now)
            guard timeline.finished else {
                oldestRunningJobStart = min(oldestRunningJobStart ?? job.createdAt, job.createdAt)
                let entries = store.vocabulary.patterns[Int(job.pattern)].entries
                for (index, state) in timeline.entries.enumerated() where state == .inProgress {
                    scopes.insert(entries[index])
                }
                continue
            }
            records.append(
                FinishedRecord(
                    status: status, createdAt: job.createdAt, completedAt: job.endAt,
                    cancelled: timeline.abortRequested))
        }
        for record in records {
            finished[record.status, default: FinishedJobs()].count += 1
            finished[record.status]!.durationSum += record.completedAt - record.createdAt
            if record.cancelled {
                cancelled += 1
                lastCancelled = max(lastCancelled ?? record.completedAt, record.completedAt)
            }
            if !(record.cancelled && record.status == "completed") {
                lastFinished[record.status] = max(
                    lastFinished[record.status] ?? record.completedAt, record.completedAt)
            }
        }
        scopesInProgress = scopes.sorted()
        latestJobStatus = store.jobs.last.map { store.status(of: $0, at: now) }
    }
}
