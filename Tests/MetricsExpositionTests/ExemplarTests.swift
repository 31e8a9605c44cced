import JobMetrics
import MetricsExposition
import TestSupport
import Testing

/// Each finished-job series carries the newest job counted in it as exemplar (``JobExemplar``).
@Suite struct ExemplarTests {
    let key = ListingKey(cm: "prod", cloud: "aws")

    func exemplar(_ metrics: ListingMetrics, _ status: String) -> JobExemplar? {
        metrics.finished.first { $0.status == status }?.exemplar
    }

    @Test func theNewestCompletedAtWinsWhateverTheListingOrder() {
        let jobs = [
            finished("old", "failed", created: 100, completed: 200),
            finished("new", "failed", created: 150, completed: 400),
            finished("middle", "failed", created: 300, completed: 350),
        ]
        for order in [jobs, jobs.reversed()] {
            var aggregator = ListingAggregator(key: key)
            aggregator.apply(ListingBuild(jobs: order, invalid: []))
            #expect(
                exemplar(aggregator.metrics, "failed")
                    == JobExemplar(jobID: "new", duration: 250, completedAt: 400))
        }
    }

    @Test func aTieGoesToTheGreaterID() {
        var aggregator = ListingAggregator(key: key)
        aggregator.apply(
            ListingBuild(
                jobs: [
                    finished("a", "completed", created: 0, completed: 10),
                    finished("b", "completed", created: 5, completed: 10),
                ], invalid: []))
        #expect(exemplar(aggregator.metrics, "completed")?.jobID == "b")
    }

    @Test func aLaterJobReplacesItAnAlreadyCountedOneDoesNot() {
        var aggregator = ListingAggregator(key: key)
        let first = finished("first", "failed", created: 0, completed: 100)
        aggregator.apply(ListingBuild(jobs: [first], invalid: []))
        #expect(exemplar(aggregator.metrics, "failed")?.jobID == "first")
        let second = finished("second", "failed", created: 150, completed: 160)
        aggregator.apply(ListingBuild(jobs: [second, first], invalid: []))
        #expect(
            exemplar(aggregator.metrics, "failed")
                == JobExemplar(jobID: "second", duration: 10, completedAt: 160))
        aggregator.apply(
            changes: ListingChanges(jobs: [finished("third", "failed", created: 170, completed: 200)]))
        #expect(exemplar(aggregator.metrics, "failed")?.jobID == "third")
        #expect(exemplar(aggregator.metrics, "completed") == nil)
    }

    @Test func theCancelledCounterCarriesTheNewestCancelledJob() {
        let jobs = [
            finished("old-cancel", "aborted", created: 0, completed: 50, abort: true),
            finished("new-cancel", "completed", created: 10, completed: 90, abort: true),
            finished("not-cancelled", "completed", created: 20, completed: 200),
        ]
        var listed = ListingAggregator(key: key)
        listed.apply(ListingBuild(jobs: jobs, invalid: []))
        #expect(
            listed.metrics.cancelledExemplar
                == JobExemplar(jobID: "new-cancel", duration: 80, completedAt: 90)
        )
        var reversed = ListingAggregator(key: key)
        reversed.apply(ListingBuild(jobs: jobs.reversed(), invalid: []))
        #expect(reversed.metrics.cancelledExemplar == listed.metrics.cancelledExemplar)
        reversed.apply(
            changes: ListingChanges(jobs: [
                finished("later", "aborted", created: 95, completed: 99, abort: true)
            ]))
        #expect(reversed.metrics.cancelledExemplar?.jobID == "later")
        let snapshot = MetricsSnapshot(
            listings: [listed.metrics], build: BuildInfo(version: "1", revision: "r", swiftVersion: "6"))
        let text = String(decoding: ExpositionWriter.render(snapshot, format: .openMetrics), as: UTF8.self)
        #expect(
            text.contains(
                #"cckm_sync_jobs_cancelled_total{cloud="aws",cm="prod"} 2.0 # {sync_job_id="new-cancel"} 1.0 90.0"#
            ))
    }

    @Test func aRunningJobIsNoExemplar() {
        var aggregator = ListingAggregator(key: key)
        aggregator.apply(ListingBuild(jobs: [running("r", created: 10)], invalid: []))
        #expect(aggregator.metrics.finished.allSatisfy { $0.exemplar == nil })
    }

    /// OpenMetrics allows 128 characters of exemplar labels: `sync_job_id` leaves 117 for the id.
    @Test func anIDBeyondTheLabelLimitIsNotWritten() {
        let fits = String(repeating: "x", count: 117)
        let tooLong = fits + "y"
        #expect(JobExemplar(jobID: fits, duration: 1, completedAt: 1).isWritable)
        #expect(!JobExemplar(jobID: tooLong, duration: 1, completedAt: 1).isWritable)
        for (id, written) in [(fits, true), (tooLong, false)] {
            var aggregator = ListingAggregator(key: key)
            aggregator.apply(
                ListingBuild(jobs: [finished(id, "failed", created: 0, completed: 3)], invalid: []))
            let snapshot = MetricsSnapshot(
                listings: [aggregator.metrics],
                build: BuildInfo(version: "1", revision: "r", swiftVersion: "6"))
            let openMetrics = String(
                decoding: ExpositionWriter.render(snapshot, format: .openMetrics), as: UTF8.self)
            #expect(openMetrics.contains("sync_job_id") == written)
            let protobuf = ExpositionWriter.render(snapshot, format: .protobuf)
            #expect(protobuf.contains(Array("sync_job_id".utf8)) == written)
            #expect(
                !String(decoding: ExpositionWriter.render(snapshot, format: .prometheusText), as: UTF8.self)
                    .contains("sync_job_id"))
        }
    }
}

extension Array where Element == UInt8 {
    func contains(_ part: [UInt8]) -> Bool {
        guard part.count <= count else { return false }
        return (0...(count - part.count)).contains { self[$0..<$0 + part.count].elementsEqual(part) }
    }
}
