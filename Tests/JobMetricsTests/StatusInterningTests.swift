import CMWire
import JobMetrics
import TestSupport
import Testing

/// Statuses are free text from CM: however many distinct ones a listing holds, interning
/// them must not trap.
@Suite("Status interning: many distinct statuses")
struct StatusInterningTests {
    @Test("a listing with more than 65,535 distinct statuses is counted, not a crash")
    func moreStatusesThanUInt16() {
        let distinct = 65_540
        let jobs = (0..<distinct).map { index in
            SyncJob(id: "job-\(index)", status: "s\(index)", createdAt: 100, completedAt: 110)
        }
        // A limit above them all: interning itself is what is tested (ListingLimitsTests fold).
        let limits = ListingLimits(statuses: 70_000)
        var aggregator = ListingAggregator(key: ListingKey(cm: "cm", cloud: "aws"), limits: limits)
        aggregator.apply(ListingBuild(jobs: jobs, invalid: [], limits: limits))
        let counts = aggregator.metrics.jobsByStatus
        #expect(counts.count == distinct + KnownJobStatus.allCases.count)
        #expect(counts.first { $0.status == "s65539" }?.count == 1)
        #expect(aggregator.metrics.finished.first { $0.status == "s65539" }?.histogram.count == 1)
    }
}
