import CMWire

/// A complete listing taken in page by page, as the pages arrive, so that the listing's
/// decoded jobs never exist all at once: per job only the compact ``KnownJobs`` record is
/// kept, plus, for a finished job, what counting it needs (about 48 bytes).
///
/// Nothing of the aggregator changes while a build grows: a walk that fails halfway is
/// simply dropped. The finished build is applied whole with
/// ``ListingAggregator/apply(_:)``.
///
/// Each job id is expected once (the pager de-duplicates by ``JobKey`` across pages); jobs
/// and invalid entries come in listing order.
public struct ListingBuild: Sendable {
    /// A finished job, kept in listing order so durations are observed in the same order
    /// (the histogram's sum is a floating-point sum) as a complete `[SyncJob]` would be.
    struct FinishedJob: Sendable {
        let key: JobKey
        let createdAt: Double
        let completedAt: Double
        let status: UInt32
        /// `abort: true`: counted in `cckm_sync_jobs_cancelled_total` too.
        let cancelled: Bool
    }

    /// The newest finished job of one status and where it is in ``finished``.
    struct NewestFinished: Sendable {
        let position: Int
        let exemplar: JobExemplar
    }

    /// The table the aggregator keeps once the build is applied.
    private(set) var known: KnownJobs
    private(set) var finished: [FinishedJob] = []
    /// Latest `completed_at` per interned status index, over every finished job of the
    /// listing; `-infinity` for a status without finished jobs.
    private(set) var lastFinished: [Double] = []
    /// Per interned status index, the newest finished job of the listing (see ``JobExemplar``)
    /// and its position in ``finished``: it becomes the exemplar when it is counted now.
    private(set) var newestFinished: [NewestFinished?] = []
    /// The newest cancelled finished job and its position in ``finished``.
    private(set) var newestCancelled: NewestFinished?
    /// Latest `completed_at` of a cancelled finished job; `-infinity` when none.
    private(set) var lastCancelled = -Double.infinity
    /// The invalid entries, in listing order.
    public private(set) var invalid: [InvalidJob] = []

    public init(limits: ListingLimits = ListingLimits()) {
        known = KnownJobs(limits: limits)
    }

    /// True once the listing held more jobs than ``ListingLimits/jobs``: a walk ends there.
    public var reachedJobLimit: Bool { known.count >= known.limits.jobs }

    /// Number of valid jobs taken in.
    public var jobCount: Int { known.count }

    /// `createdAt` of the oldest valid job taken in.
    public var oldestCreatedAt: Double? { known.oldestCreatedAt }

    /// Makes room for a listing of `jobs` jobs (from the first page's `total`); capped, so a
    /// `total` that lies costs at most a few megabytes.
    public mutating func reserveCapacity(_ jobs: Int) {
        let capped = min(max(0, jobs), JobPage.reservationCap)
        known.reserveCapacity(capped)
        finished.reserveCapacity(capped)
    }

    /// Takes the next job of the listing; `key` is `JobKey(job.id)`, computed once by the caller.
    public mutating func add(_ job: SyncJob, key: JobKey) {
        let status = known.upsert(job, key: key)
        guard status != KnownJobs.notHeld, let completedAt = job.finishedAt else { return }
        let index = Int(status)
        if index >= lastFinished.count {
            lastFinished += repeatElement(-Double.infinity, count: index + 1 - lastFinished.count)
        }
        if job.movesLastFinished { lastFinished[index] = max(lastFinished[index], completedAt) }
        if job.isCancelled {
            lastCancelled = max(lastCancelled, completedAt)
            let exemplar = JobExemplar(
                jobID: job.id, duration: completedAt - job.createdAt, completedAt: completedAt)
            if exemplar.isNewer(than: newestCancelled?.exemplar) {
                newestCancelled = NewestFinished(position: finished.count, exemplar: exemplar)
            }
        }
        noteNewest(job, status: index, completedAt: completedAt)
        finished.append(
            FinishedJob(
                key: key, createdAt: job.createdAt, completedAt: completedAt, status: status,
                cancelled: job.isCancelled))
    }

    private mutating func noteNewest(_ job: SyncJob, status index: Int, completedAt: Double) {
        if index >= newestFinished.count {
            newestFinished += repeatElement(nil, count: index + 1 - newestFinished.count)
        }
        guard completedAt >= newestFinished[index]?.exemplar.completedAt ?? -.infinity else { return }
        let exemplar = JobExemplar(
            jobID: job.id, duration: completedAt - job.createdAt, completedAt: completedAt)
        if exemplar.isNewer(than: newestFinished[index]?.exemplar) {
            newestFinished[index] = NewestFinished(position: finished.count, exemplar: exemplar)
        }
    }

    /// Takes the next invalid entry of the listing.
    public mutating func add(invalid entry: InvalidJob) {
        known.addInvalid(entry)
        invalid.append(entry)
    }

    /// The status text of an interned status index.
    func statusName(_ index: UInt32) -> String { known.statusName(index) }
}
