import CMWire
import JobMetrics
import TestSupport
import Testing

/// What a hostile CM can make a listing cost: statuses fold into `other` beyond the limit and
/// keep their finished series once seen (within the limit), region series are capped while their count
/// stays exact, and a listing holds at most so many jobs. Each limit that bites is reported.
@Suite struct ListingLimitsTests {
    let key = ListingKey(cm: "prod", cloud: "aws")
    let limits = ListingLimits(statuses: 10, regionSeries: 3, jobs: 50)

    private func jobs(_ count: Int, status: (Int) -> String, from first: Int = 0) -> [SyncJob] {
        (first..<first + count).map {
            finished(uuid($0), status($0), created: Double($0 * 10), completed: Double($0 * 10 + 5))
        }
    }

    @Test func statusesBeyondTheLimitFoldIntoOther() {
        var aggregator = ListingAggregator(key: key, limits: limits)
        let listing = jobs(40, status: { "invented-\($0)" })
        let reached = aggregator.apply(ListingBuild(jobs: listing, invalid: [], limits: limits))
        #expect(reached == [.statuses])
        let statuses = aggregator.metrics.jobsByStatus.map(\.status)
        #expect(statuses.count == 10, "\(statuses)")
        #expect(statuses.contains(ListingLimits.otherStatus))
        #expect(aggregator.metrics.jobsByStatus.map(\.count).reduce(0, +) == 40)
        #expect(aggregator.metrics.finished.map(\.histogram.count).reduce(0, +) == 40)
        #expect(aggregator.metrics.finished.count <= 10)
    }

    @Test func newStatusesOfIncrementalPollsFoldToo() {
        let limits = ListingLimits(statuses: 10, jobs: 1000)
        var aggregator = ListingAggregator(key: key, limits: limits)
        aggregator.apply(ListingBuild(jobs: jobs(5, status: { "early-\($0)" }), invalid: [], limits: limits))
        for round in 0..<10 {
            let reached = aggregator.apply(
                changes: ListingChanges(jobs: jobs(5, status: { "late-\($0)" }, from: 5 + round * 5)))
            if round > 0 { #expect(reached == [.statuses]) }
        }
        #expect(aggregator.metrics.jobsByStatus.count <= 10)
        #expect(aggregator.metrics.finished.count <= 10)
        #expect(aggregator.metrics.jobsByStatus.map(\.count).reduce(0, +) == 55)
    }

    @Test func finishedSeriesOfStatusesThatLeftTheListingStay() {
        var aggregator = ListingAggregator(key: key, limits: limits)
        aggregator.apply(ListingBuild(jobs: jobs(3, status: { _ in "error" }), invalid: [], limits: limits))
        #expect(aggregator.metrics.finished.contains { $0.status == "error" })
        aggregator.apply(
            ListingBuild(jobs: jobs(3, status: { _ in "completed" }, from: 10), invalid: [], limits: limits))
        let error = aggregator.metrics.finished.first { $0.status == "error" }
        #expect(error?.histogram.count == 3, "a counter never vanishes")
        #expect(error?.exemplar?.jobID == uuid(2))
        #expect(aggregator.metrics.lastFinished.contains { $0.status == "error" })
        #expect(!aggregator.metrics.jobsByStatus.contains { $0.status == "error" }, "the gauge goes")
        aggregator.apply(
            changes: ListingChanges(jobs: jobs(1, status: { _ in "error" }, from: 20)))
        #expect(
            aggregator.metrics.finished.first { $0.status == "error" }?.histogram.count == 4,
            "no restart at 1")
    }

    @Test func finishedSeriesStayWithinTheStatusesLimitAndOtherKeepsCounting() {
        var aggregator = ListingAggregator(key: key, limits: limits)
        var counted = 0
        for round in 0..<6 {
            // Each complete listing holds four statuses never seen before, and no older job.
            let listing = jobs(4, status: { "round-\(round)-\($0 % 4)" }, from: round * 4)
            let reached = aggregator.apply(ListingBuild(jobs: listing, invalid: [], limits: limits))
            counted += 4
            let finished = aggregator.metrics.finished
            #expect(finished.count <= limits.statuses - 1, "round \(round): \(finished.map(\.status))")
            #expect(finished.map(\.histogram.count).reduce(0, +) == UInt64(counted))
            if round >= 1 { #expect(reached.contains(.statuses), "round \(round)") }
        }
        let other = aggregator.metrics.finished.first { $0.status == ListingLimits.otherStatus }
        #expect(other?.histogram.count == UInt64(6 * 4 - (limits.statuses - 2 - 3)))
        #expect(aggregator.metrics.finished.contains { $0.status == "round-0-0" })
    }

    @Test func regionSeriesAreCappedAndTheirCountStaysExact() {
        var aggregator = ListingAggregator(key: key, limits: limits)
        let scopes = (0..<8).map { SyncJob.ScopeStatus(scope: "vault-\($0)", text: "in_progress") }
        let job = SyncJob(id: uuid(1), status: "in_progress", createdAt: 1, detailedStatus: scopes)
        let reached = aggregator.apply(ListingBuild(jobs: [job], invalid: [], limits: limits))
        #expect(reached == [.regionSeries])
        #expect(aggregator.metrics.regionsInProgress.count == 3)
        #expect(aggregator.metrics.regionsInProgressCount == 8)
    }

    @Test func aListingHoldsAtMostTheJobsLimit() {
        var build = ListingBuild(limits: limits)
        for job in jobs(80, status: { _ in "completed" }) { build.add(job, key: JobKey(job.id)) }
        #expect(build.jobCount == 50)
        #expect(build.reachedJobLimit)
        var aggregator = ListingAggregator(key: key, limits: limits)
        #expect(aggregator.apply(build) == [.jobs])
        #expect(aggregator.metrics.finished.map(\.histogram.count).reduce(0, +) == 50)
        let more = aggregator.apply(
            changes: ListingChanges(jobs: jobs(5, status: { _ in "failed" }, from: 100)))
        #expect(more == [.jobs])
        #expect(aggregator.metrics.jobsByStatus.map(\.count).reduce(0, +) == 50)
    }

    @Test func withinTheLimitsNothingIsReported() {
        var aggregator = ListingAggregator(key: key)
        #expect(
            aggregator.apply(ListingBuild(jobs: jobs(20, status: { _ in "completed" }), invalid: [])).isEmpty)
    }
}
