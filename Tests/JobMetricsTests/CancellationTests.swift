import CMWire
import JobMetrics
import TestSupport
import Testing

/// `cckm_sync_jobs_cancelled_total` and what a cancellation does to the other metrics: `abort:
/// true` is the only reliable sign of a cancelled job, whatever its final status (AWS ends
/// `aborted`, Google `completed`).
@Suite struct CancellationTests {
    let key = ListingKey(cm: "prod", cloud: "google")

    @Test func cancelledJobsAreCountedOncePerIdWhateverTheirStatus() {
        var aggregator = ListingAggregator(key: key)
        let history = [
            finished(uuid(1), "completed", created: 100, completed: 200, abort: true),
            finished(uuid(2), "aborted", created: 300, completed: 400, abort: true),
            finished(uuid(3), "completed", created: 500, completed: 600),
            finished(uuid(4), "failed", created: 700, completed: 800),
        ]
        aggregator.apply(ListingBuild(jobs: history, invalid: []))
        #expect(aggregator.metrics.cancelled == 2)
        aggregator.apply(ListingBuild(jobs: history, invalid: []))
        aggregator.apply(ListingBuild(jobs: history, invalid: []))
        #expect(aggregator.metrics.cancelled == 2)
        #expect(aggregator.metrics.lastCancelled == 400)
    }

    @Test func theCounterIsZeroFromTheFirstListing() {
        var aggregator = ListingAggregator(key: key)
        aggregator.apply(
            ListingBuild(jobs: [finished(uuid(1), "completed", created: 1, completed: 2)], invalid: []))
        #expect(aggregator.metrics.cancelled == 0)
        #expect(aggregator.metrics.lastCancelled == nil)
    }

    @Test func aJobSeenRunningThenCancelledIsCountedWhenItFinishes() {
        var aggregator = ListingAggregator(key: key)
        let running = SyncJob(id: uuid(7), status: "in_progress", createdAt: 1000, abortRequested: true)
        aggregator.apply(changes: ListingChanges(jobs: [running]))
        #expect(aggregator.metrics.cancelled == 0)
        aggregator.apply(
            changes: ListingChanges(jobs: [
                finished(uuid(7), "completed", created: 1000, completed: 1300, abort: true)
            ]))
        aggregator.apply(
            changes: ListingChanges(jobs: [
                finished(uuid(7), "completed", created: 1000, completed: 1300, abort: true)
            ]))
        #expect(aggregator.metrics.cancelled == 1)
        #expect(aggregator.metrics.finished.first { $0.status == "completed" }?.histogram.count == 1)
    }

    /// A cancelled job that ended `completed` is no success: it cannot hide
    /// `CCKMNoRecentSuccessfulSync`.
    @Test func aCancelledCompletedJobDoesNotMoveTheLastSuccess() {
        let jobs = [
            finished(uuid(1), "completed", created: 100, completed: 200),
            finished(uuid(2), "completed", created: 300, completed: 5000, abort: true),
            finished(uuid(3), "aborted", created: 400, completed: 6000, abort: true),
        ]
        for metrics in [complete(jobs), incremental(jobs)] {
            let last = Dictionary(uniqueKeysWithValues: metrics.lastFinished.map { ($0.status, $0.seconds) })
            #expect(last["completed"] == 200)
            #expect(last["aborted"] == 6000)
            #expect(metrics.lastCancelled == 6000)
        }
    }

    @Test func theStatusPageListMarksCancelledJobs() {
        let metrics = complete([
            finished(uuid(1), "completed", created: 100, completed: 200, abort: true),
            finished(uuid(2), "completed", created: 300, completed: 400),
            finished(uuid(3), "failed", created: 500, completed: 600),
        ])
        #expect(metrics.recentFailures.map(\.id) == [uuid(3), uuid(1)])
        #expect(metrics.recentFailures.map(\.cancelled) == [false, true])
        var aggregator = ListingAggregator(key: key)
        aggregator.apply(changes: ListingChanges(jobs: []))
        aggregator.apply(
            changes: ListingChanges(jobs: [
                finished(uuid(1), "completed", created: 100, completed: 200, abort: true)
            ]))
        #expect(aggregator.metrics.recentFailures.map(\.cancelled) == [true])
    }

    /// The metrics of `jobs` as one complete listing.
    private func complete(_ jobs: [SyncJob]) -> ListingMetrics {
        var aggregator = ListingAggregator(key: key)
        aggregator.apply(ListingBuild(jobs: jobs, invalid: []))
        return aggregator.metrics
    }

    /// The metrics of `jobs` as the changes of an incremental poll.
    private func incremental(_ jobs: [SyncJob]) -> ListingMetrics {
        var aggregator = ListingAggregator(key: key)
        aggregator.apply(changes: ListingChanges(jobs: jobs))
        return aggregator.metrics
    }
}
