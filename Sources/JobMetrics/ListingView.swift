/// What ``ListingAggregator`` reads of the listing as it is now, whether from one pass over a
/// complete listing (``ListingScan``) or from the jobs kept between polls (``KnownJobs``).
protocol ListingView {
    var countsByStatus: [String: UInt64] { get }
    var runningJobsInOrder: [RunningJob] { get }
    var regionsInProgress: Set<RegionInProgress> { get }
    var oldestRunningJobStart: Double? { get }
    var oldestCreatedAt: Double? { get }
    var latestJobStatus: String? { get }
    var recentFailures: [FailedJobSummary] { get }
}

extension ListingScan: ListingView {
    var runningJobsInOrder: [RunningJob] { runningJobs }
    var latestJobStatus: String? { latestJob?.status }
}
