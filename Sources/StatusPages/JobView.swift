import CMWire
import JobMetrics

/// One job as the exporter still holds it, for the job page (`/job?id=…`), the link target of
/// the `sync_job_id` exemplars: a running job, a recent failure or cancellation of the last
/// listing, or the newest job of a finished-job series (the exemplar itself).
public struct JobView: Sendable, Equatable {
    /// Where the exporter holds the job from.
    public enum State: Sendable, Equatable {
        /// Running in the last listing, with its regions in progress.
        case running(createdAt: Double, regions: [RegionInProgress])
        /// Finished; `createdAt` and `detailedStatus` are known for recent failures, the
        /// duration for exemplars.
        case finished(
            status: String, completedAt: Double, duration: Double?, detailedStatus: [SyncJob.ScopeStatus],
            cancelled: Bool)
    }

    public let key: ListingKey
    public let id: String
    public let state: State

    /// Every view of `id` the status page's listings give (one per listing that holds it;
    /// usually one). A running job comes first, then a failure, then an exemplar.
    public static func find(_ id: String, in page: StatusPage) -> [JobView] {
        page.listings.compactMap { listing in view(id, listing.key, listing.metrics) }
    }

    private static func view(_ id: String, _ key: ListingKey, _ metrics: ListingMetrics) -> JobView? {
        if let running = metrics.runningJobs.first(where: { $0.id == id }) {
            return JobView(
                key: key, id: id,
                state: .running(createdAt: running.createdAt, regions: running.regionsInProgress))
        }
        let exemplar = metrics.finished.first { $0.exemplar?.jobID == id }
        if let failure = metrics.recentFailures.first(where: { $0.id == id }) {
            return JobView(
                key: key, id: id,
                state: .finished(
                    status: failure.status, completedAt: failure.completedAt,
                    duration: exemplar?.exemplar?.duration, detailedStatus: failure.detailedStatus,
                    cancelled: failure.cancelled))
        }
        guard let series = exemplar, let newest = series.exemplar else { return nil }
        return JobView(
            key: key, id: id,
            state: .finished(
                status: series.status, completedAt: newest.completedAt, duration: newest.duration,
                detailedStatus: [], cancelled: false))
    }
}
