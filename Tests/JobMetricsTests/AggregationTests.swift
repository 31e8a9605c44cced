import CMWire
import JobMetrics
import MetricsExposition
import TestSupport
import Testing

/// Contract section 2 (job semantics) and the job metrics of section 3, on hand-made listings.
@Suite struct AggregationTests {
    let key = ListingKey(cm: "prod", cloud: "aws")

    func aggregate(_ listings: [SyncJob]...) -> ListingMetrics {
        var aggregator = ListingAggregator(key: key)
        for jobs in listings { aggregator.apply(ListingBuild(jobs: jobs, invalid: [])) }
        return aggregator.metrics
    }

    @Test func beforeTheFirstListingThereAreNoJobSeries() {
        let metrics = ListingAggregator(key: key).metrics
        #expect(metrics.key == key)
        #expect(!metrics.hasListing)
        #expect(metrics == .empty(key))
    }

    @Test func syncJobsCountsTheLastListingByStatusWithKnownStatusesAlwaysPresent() {
        let metrics = aggregate([
            running("a", created: 100), finished("b", "completed", created: 10, completed: 20),
            finished("c", "completed", created: 30, completed: 40),
        ])
        #expect(
            metrics.jobsByStatus == [
                StatusCount(status: "aborted", count: 0), StatusCount(status: "completed", count: 2),
                StatusCount(status: "failed", count: 0), StatusCount(status: "in_progress", count: 1),
            ])
    }

    @Test func syncJobsDescribesOnlyTheLastListing() {
        let metrics = aggregate(
            [running("a", created: 100)], [finished("a", "failed", created: 100, completed: 150)])
        #expect(count(metrics, "in_progress") == 0)
        #expect(count(metrics, "failed") == 1)
    }

    @Test func unknownStatusesAreKeptVerbatim() {
        let metrics = aggregate([
            finished("a", "error", created: 10, completed: 20),
            finished("b", "Timed Out", created: 10, completed: 30),
        ])
        #expect(count(metrics, "error") == 1)
        #expect(count(metrics, "Timed Out") == 1)
        #expect(histogram(metrics, "error")?.count == 1)
        #expect(metrics.lastFinished.contains(StatusTimestamp(status: "Timed Out", seconds: 30)))
    }

    @Test func finishedTotalCountsTheHistoryFoundByTheFirstPoll() {
        let history = (0..<50).map {
            finished("job-\($0)", "completed", created: Double($0 * 100), completed: Double($0 * 100 + 7))
        }
        let metrics = aggregate(history)
        #expect(histogram(metrics, "completed")?.count == 50)
        #expect(histogram(metrics, "completed")?.sum == 350)
    }

    @Test func finishedStatusesStartAtZero() {
        let metrics = aggregate([])
        #expect(metrics.finished.map(\.status) == ["aborted", "completed", "failed"])
        #expect(metrics.finished.allSatisfy { $0.histogram.count == 0 })
    }

    @Test func durationIsObservedOncePerJobIdAcrossPolls() {
        let listing = [finished(uuid(1), "completed", created: 1000, completed: 1010)]
        let metrics = aggregate(listing, listing, listing)
        let observed = histogram(metrics, "completed")
        #expect(observed?.count == 1)
        #expect(observed?.sum == 10)
    }

    @Test func aJobSeenRunningIsCountedWhenItFinishes() {
        var aggregator = ListingAggregator(key: key)
        aggregator.apply(ListingBuild(jobs: [running(uuid(7), created: 1000)], invalid: []))
        #expect(histogram(aggregator.metrics, "completed")?.count == 0)
        aggregator.apply(
            ListingBuild(jobs: [finished(uuid(7), "completed", created: 1000, completed: 1100)], invalid: []))
        #expect(histogram(aggregator.metrics, "completed")?.count == 1)
        #expect(histogram(aggregator.metrics, "completed")?.sum == 100)
        aggregator.apply(
            ListingBuild(jobs: [finished(uuid(7), "completed", created: 1000, completed: 1100)], invalid: []))
        #expect(histogram(aggregator.metrics, "completed")?.count == 1)
    }

    @Test func aFinishedJobNeedsACompletedAtNotBeforeCreatedAt() {
        let metrics = aggregate([
            SyncJob(id: "no-completion", status: "failed", createdAt: 100),
            SyncJob(id: "bad-completion", status: "failed", createdAt: 100, completedAtInvalid: true),
            finished("backwards", "failed", created: 100, completed: 99),
            finished("instant", "failed", created: 100, completed: 100),
        ])
        #expect(count(metrics, "failed") == 4)
        #expect(histogram(metrics, "failed")?.count == 1)
        #expect(histogram(metrics, "failed")?.bucketCounts.first == 1)
    }

    @Test func countersNeverDecreaseWhenCMPurgesJobs() {
        var aggregator = ListingAggregator(key: key)
        let old = (0..<5).map { finished(uuid($0), "failed", created: Double($0), completed: Double($0) + 2) }
        let recent = finished(uuid(9), "completed", created: 100, completed: 160)
        aggregator.apply(ListingBuild(jobs: old + [recent], invalid: []))
        aggregator.apply(ListingBuild(jobs: [recent], invalid: []))
        aggregator.apply(ListingBuild(jobs: [recent], invalid: []))
        #expect(histogram(aggregator.metrics, "failed")?.count == 5)
        #expect(histogram(aggregator.metrics, "completed")?.count == 1)
        #expect(count(aggregator.metrics, "failed") == 0)
        #expect(aggregator.metrics.lastFinished.contains(StatusTimestamp(status: "failed", seconds: 6)))
    }

    @Test func purgedJobsAreForgottenOnlyWhenTwoObservationsOfTheOldestJobAgree() {
        var aggregator = ListingAggregator(key: key)
        let jobs = (0..<4).map {
            finished(uuid($0), "completed", created: Double($0 * 10), completed: Double($0 * 10 + 1))
        }
        aggregator.apply(ListingBuild(jobs: jobs, invalid: []))
        aggregator.observeListingOldest(0)
        #expect(aggregator.trackedFinishedJobs == 4)
        aggregator.apply(ListingBuild(jobs: Array(jobs[2...]), invalid: []))
        aggregator.apply(ListingBuild(jobs: Array(jobs[2...]), invalid: []))
        #expect(aggregator.trackedFinishedJobs == 4, "what walks list proves nothing")
        aggregator.observeListingOldest(20)
        #expect(aggregator.trackedFinishedJobs == 4, "the previous observation still had them")
        aggregator.observeListingOldest(20)
        #expect(aggregator.trackedFinishedJobs == 2)
        #expect(histogram(aggregator.metrics, "completed")?.count == 4)
    }

    @Test func aJobMissingFromOneListingIsNotCountedAgain() {
        var aggregator = ListingAggregator(key: key)
        let jobs = (0..<4).map {
            finished(uuid($0), "completed", created: Double($0 * 10), completed: Double($0 * 10 + 1))
        }
        aggregator.apply(ListingBuild(jobs: jobs, invalid: []))
        aggregator.apply(ListingBuild(jobs: [jobs[0], jobs[2], jobs[3]], invalid: []))
        aggregator.apply(ListingBuild(jobs: Array(jobs[1...]), invalid: []))
        aggregator.apply(ListingBuild(jobs: jobs, invalid: []))
        #expect(histogram(aggregator.metrics, "completed")?.count == 4)
    }

    @Test func durationBucketsAreTheContractsWithLeSemantics() {
        #expect(
            DurationHistogram.bucketUpperBounds == [
                1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400,
            ])
        let durations: [Double] = [0.5, 1, 1.5, 86400, 86401]
        let metrics = aggregate(
            durations.enumerated().map { index, duration in
                finished("d\(index)", "completed", created: 1000, completed: 1000 + duration)
            })
        let observed = histogram(metrics, "completed")
        #expect(observed?.cumulativeCounts == [2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4])
        #expect(observed?.count == 5)
        #expect(observed?.sum == 0.5 + 1 + 1.5 + 86400 + 86401)
    }

    @Test func lastFinishedTimestampIsTheNewestCompletedAtAndNeverGoesBack() {
        var aggregator = ListingAggregator(key: key)
        aggregator.apply(
            ListingBuild(
                jobs: [
                    finished("a", "failed", created: 10, completed: 500),
                    finished("b", "failed", created: 20, completed: 400),
                    finished("c", "completed", created: 30, completed: 300),
                ], invalid: []))
        #expect(
            aggregator.metrics.lastFinished == [
                StatusTimestamp(status: "completed", seconds: 300),
                StatusTimestamp(status: "failed", seconds: 500),
            ])
        aggregator.apply(
            ListingBuild(jobs: [finished("b", "failed", created: 20, completed: 400)], invalid: []))
        #expect(aggregator.metrics.lastFinished.contains(StatusTimestamp(status: "failed", seconds: 500)))
        #expect(aggregator.metrics.lastFinished.contains(StatusTimestamp(status: "completed", seconds: 300)))
    }

    @Test func invalidJobsCountOncePerDistinctIdAndOncePerPollWithoutId() {
        var aggregator = ListingAggregator(key: key)
        let invalid = [
            InvalidJob(id: "x", reason: .badCreatedAt), InvalidJob(id: "x", reason: .badCreatedAt),
            InvalidJob(id: "y", reason: .malformed), InvalidJob(id: nil, reason: .missingID),
        ]
        aggregator.apply(ListingBuild(jobs: [], invalid: invalid))
        aggregator.apply(ListingBuild(jobs: [], invalid: invalid))
        #expect(
            aggregator.metrics.invalidJobs == [
                InvalidCount(reason: .badCreatedAt, count: 1), InvalidCount(reason: .malformed, count: 1),
                InvalidCount(reason: .missingID, count: 2),
            ])
    }

    @Test func invalidIdsAreForgottenAfterTwoListingsWithoutThem() {
        var aggregator = ListingAggregator(key: key)
        aggregator.apply(ListingBuild(jobs: [], invalid: [InvalidJob(id: "x", reason: .malformed)]))
        aggregator.apply(ListingBuild(jobs: [], invalid: []))
        #expect(aggregator.trackedInvalidJobs == 1)
        aggregator.apply(ListingBuild(jobs: [], invalid: [InvalidJob(id: "x", reason: .malformed)]))
        #expect(aggregator.metrics.invalidJobs.first { $0.reason == .malformed }?.count == 1)
        aggregator.apply(ListingBuild(jobs: [], invalid: []))
        aggregator.apply(ListingBuild(jobs: [], invalid: []))
        #expect(aggregator.trackedInvalidJobs == 0)
        #expect(aggregator.metrics.invalidJobs.first { $0.reason == .malformed }?.count == 1)
    }

    // MARK: helpers

    func count(_ metrics: ListingMetrics, _ status: String) -> UInt64? {
        metrics.jobsByStatus.first { $0.status == status }?.count
    }

    func histogram(_ metrics: ListingMetrics, _ status: String) -> DurationHistogram? {
        metrics.finished.first { $0.status == status }?.histogram
    }
}
