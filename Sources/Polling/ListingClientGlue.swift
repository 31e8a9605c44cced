import CCKMClient
import JobMetrics

// Where the client's results meet the aggregation: the client knows no aggregation type.

extension KnownJobs: KnownListing {}

extension ListingBuild {
    /// Takes one page's new entries, with the keys the pager computed.
    public mutating func add(_ fresh: FreshEntries) {
        if jobCount == 0, let total = fresh.listingTotal { reserveCapacity(total) }
        for (job, key) in zip(fresh.jobs, fresh.keys) { add(job, key: key) }
        for entry in fresh.invalid { add(invalid: entry) }
    }
}
