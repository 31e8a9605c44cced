import CMWire
import JobMetrics

extension ListingBuild {
    /// A build of a listing already in memory, taken in job by job as a walk's pages are
    /// (``JobKey``s computed here).
    public init(jobs: [SyncJob], invalid: [InvalidJob], limits: ListingLimits = ListingLimits()) {
        self.init(limits: limits)
        for job in jobs { add(job, key: JobKey(job.id)) }
        for entry in invalid { add(invalid: entry) }
    }
}
