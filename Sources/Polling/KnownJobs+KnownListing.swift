import CCKMClient
import JobMetrics

/// The jobs the aggregation holds are what the client reads incremental polls and checks
/// totals against; the client sees them only through ``KnownListing``.
extension KnownJobs: KnownListing {}
