import CMWire

/// The jobs of one listing as the exporter believes CM lists them now, kept compactly so a
/// poll can fetch only what may have changed (incremental polling, docs/PERFORMANCE.md).
///
/// Per job it keeps a ``JobKey`` (no id string), `createdAt` and an interned status: about
/// 50 bytes a job. Full ``SyncJob``s are kept only for running jobs, which change; the
/// newest failures the status page shows are kept as ``FailedJobSummary``s.
///
/// It answers what a full listing would: counts by status, running jobs and their regions,
/// the latest job, the recent failures (what ``ListingAggregator`` builds the gauges of the
/// listing from). Updates are upserts: a job CM deleted is only forgotten when a complete
/// listing replaces the table, which is why incremental polling needs a periodic full resync.
public struct KnownJobs: Sendable {
    struct Record: Sendable {
        var createdAt: Double
        var status: UInt32
    }

    private var records: [JobKey: Record] = [:]
    private var statusNames: [String] = []
    private var statusIndex: [String: UInt32] = [:]
    private var statusCounts: [UInt64] = []
    private var running: [JobKey: SyncJob] = [:]
    private var latest: (createdAt: Double, id: String, key: JobKey)?
    private var oldest: Double?
    private var failures: [FailedJobSummary] = []
    private var invalidByKey: [JobKey: InvalidJob] = [:]
    /// Invalid entries of the last full listing that had no id: they cannot be matched.
    public private(set) var unidentifiedInvalid: [InvalidJob] = []
    public let limits: ListingLimits
    /// The limits that bit since ``takeLimitsReached()`` was last called.
    private var limitsReached: Set<ListingLimit> = []

    public init(limits: ListingLimits = ListingLimits()) {
        self.limits = limits
        for status in KnownJobStatus.allCases { _ = intern(status.rawValue) }
    }

    /// The limits that bit since the last call, and forgets them.
    mutating func takeLimitsReached() -> Set<ListingLimit> {
        defer { limitsReached = [] }
        return limitsReached
    }

    /// Number of jobs in the listing (valid ones).
    public var count: Int { records.count }

    /// True when no listing was applied, or it held no valid job.
    public var isEmpty: Bool { records.isEmpty }

    /// `createdAt` of the newest job: a newest-first listing shows every job created since
    /// the last poll before this one.
    public var newestCreatedAt: Double? { latest?.createdAt }

    /// True when `id` is a job (valid or invalid) of the listing.
    public func contains(_ id: String) -> Bool {
        let key = JobKey(id)
        return records[key] != nil || invalidByKey[key] != nil
    }

    /// `overall_status` of a valid job of the listing; nil when unknown.
    public func status(of id: String) -> String? {
        records[JobKey(id)].map { statusNames[Int($0.status)] }
    }

    /// Valid jobs of the listing with `status` (0 for a status never seen).
    public func jobCount(status: String) -> UInt64 {
        statusIndex[status].map { statusCounts[Int($0)] } ?? 0
    }

    /// Every entry of the listing, valid or not: what CM's `total` counts.
    public var entryCount: Int { records.count + invalidByKey.count + unidentifiedInvalid.count }

    /// The running jobs as last seen (unordered).
    public var runningJobs: [SyncJob] { Array(running.values) }

    /// The invalid entries of the listing that carry an id.
    public var identifiedInvalid: [InvalidJob] { Array(invalidByKey.values) }

    /// Makes room for `jobs` jobs, so a listing of known size fills the table without resizing.
    mutating func reserveCapacity(_ jobs: Int) {
        records.reserveCapacity(jobs)
    }

    /// Takes a job as CM lists it now: a new one, or the current state of a known one.
    public mutating func upsert(_ job: SyncJob) {
        upsert(job, key: JobKey(job.id))
    }

    /// ``upsert(_:key:)``'s answer for a job beyond the jobs limit: not held.
    static let notHeld = UInt32.max

    /// ``upsert(_:)`` with the job's key already computed; returns its interned status (the
    /// folded one beyond the statuses limit), or ``notHeld`` for a new job beyond the jobs limit.
    @discardableResult
    mutating func upsert(_ job: SyncJob, key: JobKey) -> UInt32 {
        if records.count >= limits.jobs && records[key] == nil {
            limitsReached.insert(.jobs)
            return Self.notHeld
        }
        let status = intern(job.status)
        let previous = records.updateValue(Record(createdAt: job.createdAt, status: status), forKey: key)
        if let previous { statusCounts[Int(previous.status)] -= 1 }
        statusCounts[Int(status)] += 1
        oldest = min(oldest ?? job.createdAt, job.createdAt)
        if let current = latest, (current.createdAt, current.id) > (job.createdAt, job.id) {
        } else {
            latest = (job.createdAt, job.id, key)
        }
        if job.isRunning {
            running[key] = job
        } else {
            // Only a job recorded as running is in `running`: no lookup for the others.
            if previous?.status == Self.inProgressIndex { running[key] = nil }
            if let completedAt = job.finishedAt, job.isFailureOrCancellation {
                noteFailure(job, completedAt: completedAt)
            }
        }
        return status
    }

    /// Forgets a job CM no longer lists (found gone by the listing itself, see the poller's
    /// job reads): its status count, running entry and recent failure leave, as a purged
    /// job's do when a complete listing replaces the table. Returns whether it was held.
    @discardableResult
    public mutating func remove(_ id: String) -> Bool {
        let key = JobKey(id)
        invalidByKey[key] = nil
        guard let record = records.removeValue(forKey: key) else { return false }
        statusCounts[Int(record.status)] -= 1
        running[key] = nil
        failures.removeAll { $0.id == id }
        if latest?.key == key {
            latest = records.max { $0.value.createdAt < $1.value.createdAt }.map {
                ($0.value.createdAt, running[$0.key]?.id ?? "", $0.key)
            }
        }
        if oldest == record.createdAt { oldest = records.values.map(\.createdAt).min() }
        return true
    }

    /// The status text interned as `index` by ``upsert(_:key:)``.
    func statusName(_ index: UInt32) -> String { statusNames[Int(index)] }

    /// Takes an invalid entry; one without an id is kept as is (it cannot be matched).
    public mutating func addInvalid(_ entry: InvalidJob) {
        guard let id = entry.id, !id.isEmpty else {
            unidentifiedInvalid.append(entry)
            return
        }
        invalidByKey[JobKey(id)] = entry
    }

    /// Every invalid entry of the listing, as a complete listing would carry them.
    public var invalid: [InvalidJob] { identifiedInvalid + unidentifiedInvalid }

    /// `in_progress` is interned first.
    private static let inProgressIndex: UInt32 = 0

    /// A listing holds a handful of statuses: comparing the (small, inline) strings is
    /// cheaper than hashing one per job.
    /// Indexes are `UInt32`, not `UInt16`: statuses are free text from CM, and 65,536 of them
    /// must not trap (a `Record` is 16 bytes either way).
    private mutating func intern(_ status: String) -> UInt32 {
        for (index, name) in statusNames.prefix(8).enumerated() where name == status {
            return UInt32(index)
        }
        if let index = statusIndex[status] { return index }
        // One place is kept for `other`: beyond the limit new statuses fold into it.
        if statusNames.count >= limits.statuses - 1 && status != ListingLimits.otherStatus {
            limitsReached.insert(.statuses)
            return intern(ListingLimits.otherStatus)
        }
        let index = UInt32(statusNames.count)
        statusNames.append(status)
        statusIndex[status] = index
        statusCounts.append(0)
        return index
    }

    /// Keeps the newest few failures in order; a failure seen again (a finished job re-read at
    /// the head of the listing) is not added twice.
    private mutating func noteFailure(_ job: SyncJob, completedAt: Double) {
        let summary = FailedJobSummary(job, completedAt: completedAt)
        func isNewer(_ a: FailedJobSummary, than b: FailedJobSummary) -> Bool {
            (a.completedAt, a.id) > (b.completedAt, b.id)
        }
        if let index = failures.firstIndex(where: { $0.id == job.id }) {
            failures.remove(at: index)
        }
        if failures.count == ListingMetrics.recentFailureLimit {
            guard let last = failures.last, isNewer(summary, than: last) else { return }
            failures.removeLast()
        }
        let index = failures.firstIndex { isNewer(summary, than: $0) } ?? failures.endIndex
        failures.insert(summary, at: index)
    }
}

/// What ``ListingAggregator`` reads of the listing as it is now.
extension KnownJobs {
    var countsByStatus: [String: UInt64] {
        var counts: [String: UInt64] = [:]
        for (index, count) in statusCounts.enumerated()
        where count > 0 || index < KnownJobStatus.allCases.count {
            // The known statuses are interned first and always reported.
            counts[statusNames[index]] = count
        }
        return counts
    }

    var runningJobsInOrder: [RunningJob] {
        running.values.map { job in
            RunningJob(id: job.id, createdAt: job.createdAt, regionsInProgress: job.regionsInProgress)
        }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    var regionsInProgress: Set<RegionInProgress> {
        Set(running.values.flatMap(\.regionsInProgress))
    }

    var oldestRunningJobStart: Double? { running.values.map(\.createdAt).min() }

    var oldestCreatedAt: Double? { oldest }

    var latestJobStatus: String? {
        latest.flatMap { records[$0.key] }.map { statusNames[Int($0.status)] }
    }

    var recentFailures: [FailedJobSummary] { failures }
}

extension SyncJob {
    /// Its `detailed_status` entries that are `in_progress`, in document order.
    var regionsInProgress: [RegionInProgress] {
        detailedStatus.filter { $0.text == KnownJobStatus.inProgress.rawValue }
            .map { RegionInProgress(scope: $0.scope) }
    }
}
