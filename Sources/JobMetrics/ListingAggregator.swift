import CMWire

/// Turns the successive complete listings of one listing (one CM, one cloud) into its
/// ``ListingMetrics``, following the job semantics of the contract (section 2).
///
/// One aggregator per listing, owned by that listing's poller: it is a value type with no
/// locking; the immutable ``metrics`` it produces is what crosses threads.
///
/// Counting rules:
/// - A finished job (any status but `in_progress`, with `completed_at >= createdAt`) is
///   counted in `cckm_sync_jobs_finished_total` and observed in
///   `cckm_sync_job_duration_seconds` once per job id, under the status it had when first
///   seen finished. The first listing counts the whole history it finds; a job seen running
///   is counted when a later listing shows it finished.
/// - Counters keep their values when CM purges jobs; the ids behind them are forgotten only
///   when they cannot come back (see ``FinishedJobLedger``).
/// - Invalid jobs count once per distinct id, once per listing when they have no id.
public struct ListingAggregator: Sendable {
    public let key: ListingKey
    private var finishedByStatus: [String: DurationHistogram]
    private var lastFinishedByStatus: [String: Double] = [:]
    /// The newest job counted per status: the exemplar of its series.
    private var exemplarsByStatus: [String: JobExemplar] = [:]
    /// The newest cancelled job counted: the exemplar of `cckm_sync_jobs_cancelled_total`.
    private var cancelledExemplar: JobExemplar?
    private var cancelledTotal: UInt64 = 0
    private var lastCancelled: Double?
    private var finishedLedger = FinishedJobLedger()
    private var invalidLedger = InvalidJobLedger()
    /// The listing as it is now, kept between polls for incremental polling.
    public private(set) var knownJobs: KnownJobs
    /// The metrics of the last applied listing, built once per listing so reads are free.
    public private(set) var metrics: ListingMetrics

    public init(key: ListingKey, limits: ListingLimits = ListingLimits()) {
        self.key = key
        self.knownJobs = KnownJobs(limits: limits)
        self.metrics = .empty(key)
        // Finished statuses start at 0 so `increase()` sees the first failure of a run.
        self.finishedByStatus = Dictionary(
            uniqueKeysWithValues: KnownJobStatus.allCases.filter { $0 != .inProgress }
                .map { ($0.rawValue, DurationHistogram()) })
    }

    /// Applies one COMPLETE listing: all pages of one successful poll, taken in page by page
    /// (see ``ListingBuild``). Returns the limits that bit (``ListingLimits``).
    @discardableResult
    public mutating func apply(_ build: ListingBuild) -> Set<ListingLimit> {
        countFinished(build)
        for (status, completedAt) in build.lastFinished.enumerated() where completedAt > -.infinity {
            let name = build.statusName(UInt32(status))
            lastFinishedByStatus[name] = max(lastFinishedByStatus[name] ?? completedAt, completedAt)
        }
        if build.lastCancelled > -.infinity { noteCancelled(completedAt: build.lastCancelled) }
        finishedLedger.prune(listingOldest: build.known.oldestCreatedAt)
        invalidLedger.apply(build.invalid)
        knownJobs = build.known
        return finishApply()
    }

    /// Applies what changed since the last listing (see ``ListingChanges``): the metrics are
    /// the ones ``apply(_:)`` would give for the complete listing of now. Returns the
    /// limits that bit.
    @discardableResult
    public mutating func apply(changes: ListingChanges) -> Set<ListingLimit> {
        for job in changes.jobs {
            let key = JobKey(job.id)
            let status = knownJobs.upsert(job, key: key)
            guard status != KnownJobs.notHeld else { continue }
            countIfFinished(job, status: knownJobs.statusName(status), key: key)
        }
        for entry in changes.invalid { knownJobs.addInvalid(entry) }
        for id in changes.removed { knownJobs.remove(id) }
        finishedLedger.prune(listingOldest: knownJobs.oldestCreatedAt)
        invalidLedger.apply(knownJobs.invalid)
        return finishApply()
    }

    /// Drops the finished-job series of statuses that left the listing (beyond the documented
    /// ones, which always stay), so invented statuses stop costing series; then the metrics.
    private mutating func finishApply() -> Set<ListingLimit> {
        let documented = Set(KnownJobStatus.allCases.map(\.rawValue))
        let known = knownJobs
        let listed = { (status: String) in documented.contains(status) || known.jobCount(status: status) > 0 }
        finishedByStatus = finishedByStatus.filter { listed($0.key) }
        lastFinishedByStatus = lastFinishedByStatus.filter { listed($0.key) }
        exemplarsByStatus = exemplarsByStatus.filter { listed($0.key) }
        var reached = knownJobs.takeLimitsReached()
        if knownJobs.count >= knownJobs.limits.jobs { reached.insert(.jobs) }
        metrics = makeMetrics(knownJobs)
        if metrics.regionsInProgressCount > metrics.regionsInProgress.count { reached.insert(.regionSeries) }
        return reached
    }

    /// Number of finished job ids remembered to avoid counting them twice (memory grows
    /// with this, not with the history CM keeps).
    public var trackedFinishedJobs: Int { finishedLedger.count }

    /// Number of invalid job ids remembered to avoid counting them twice.
    public var trackedInvalidJobs: Int { invalidLedger.trackedIDs }

    /// Counts `job` once if it finished; `status` is the one it is held under (its own, or
    /// `other` beyond the statuses limit).
    private mutating func countIfFinished(_ job: SyncJob, status: String, key: JobKey) {
        guard let completedAt = job.finishedAt else { return }
        if job.movesLastFinished {
            lastFinishedByStatus[status] = max(lastFinishedByStatus[status] ?? completedAt, completedAt)
        }
        if job.isCancelled { noteCancelled(completedAt: completedAt) }
        guard finishedLedger.insert(key, createdAt: job.createdAt) else { return }
        finishedByStatus[status, default: DurationHistogram()].observe(completedAt - job.createdAt)
        let exemplar = JobExemplar(
            jobID: job.id, duration: completedAt - job.createdAt, completedAt: completedAt)
        if job.isCancelled {
            cancelledTotal += 1
            if exemplar.isNewer(than: cancelledExemplar) { cancelledExemplar = exemplar }
        }
        noteExemplar(exemplar, status: status)
    }

    private mutating func noteExemplar(_ exemplar: JobExemplar, status: String) {
        if exemplar.isNewer(than: exemplarsByStatus[status]) { exemplarsByStatus[status] = exemplar }
    }

    private mutating func noteCancelled(completedAt: Double) {
        lastCancelled = max(lastCancelled ?? completedAt, completedAt)
    }

    /// Counts the build's finished jobs not counted before, in listing order. Histograms are
    /// looked up per interned status, not per job by status text.
    private mutating func countFinished(_ build: ListingBuild) {
        finishedLedger.reserveCapacity(build.finished.count)
        var histograms: [DurationHistogram?] = []
        for (position, job) in build.finished.enumerated()
        where finishedLedger.insert(job.key, createdAt: job.createdAt) {
            if job.cancelled {
                cancelledTotal += 1
                if let newest = build.newestCancelled, newest.position == position,
                    newest.exemplar.isNewer(than: cancelledExemplar)
                {
                    cancelledExemplar = newest.exemplar
                }
            }
            let index = Int(job.status)
            if index >= histograms.count {
                histograms += repeatElement(nil, count: index + 1 - histograms.count)
            }
            if histograms[index] == nil {
                histograms[index] =
                    finishedByStatus.removeValue(forKey: build.statusName(job.status))
                    ?? DurationHistogram()
            }
            histograms[index]!.observe(job.completedAt - job.createdAt)
            if index < build.newestFinished.count, let newest = build.newestFinished[index],
                newest.position == position
            {
                noteExemplar(newest.exemplar, status: build.statusName(job.status))
            }
        }
        for (index, histogram) in histograms.enumerated() {
            if let histogram { finishedByStatus[build.statusName(UInt32(index))] = histogram }
        }
    }

    private func makeMetrics(_ known: KnownJobs) -> ListingMetrics {
        let regions = known.regionsInProgress.sorted()
        return ListingMetrics(
            key: key, hasListing: true,
            jobsByStatus: known.countsByStatus.map { StatusCount(status: $0.key, count: $0.value) }
                .sorted { $0.status.precedesInBytes($1.status) },
            finished: finishedByStatus.map {
                StatusHistogram(status: $0.key, histogram: $0.value, exemplar: exemplarsByStatus[$0.key])
            }
            .sorted { $0.status.precedesInBytes($1.status) },
            regionsInProgress: Array(regions.prefix(knownJobs.limits.regionSeries)),
            regionsInProgressCount: regions.count,
            oldestRunningJobStart: known.oldestRunningJobStart,
            lastFinished: lastFinishedByStatus.map { StatusTimestamp(status: $0.key, seconds: $0.value) }
                .sorted { $0.status.precedesInBytes($1.status) },
            cancelled: cancelledTotal, cancelledExemplar: cancelledExemplar, lastCancelled: lastCancelled,
            latestJobStatus: known.latestJobStatus,
            invalidJobs: InvalidJobReason.allCases.sorted()
                .map { InvalidCount(reason: $0, count: invalidLedger.totals[$0] ?? 0) },
            runningJobs: known.runningJobsInOrder,
            recentFailures: known.recentFailures)
    }
}

extension String {
    /// Byte-wise order: stable, and the order client_golang sorts label values in.
    package func precedesInBytes(_ other: String) -> Bool {
        utf8.lexicographicallyPrecedes(other.utf8)
    }
}
