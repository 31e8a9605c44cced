import CMWire
import Foundation
import JobMetrics
import TestSupport
import Testing

/// Running jobs, regions in progress, latest status and the status page lists.
@Suite struct AggregationRunningTests {
    let key = ListingKey(cm: "prod", cloud: "aws")

    func aggregate(_ jobs: [SyncJob]) -> ListingMetrics {
        var aggregator = ListingAggregator(key: key)
        aggregator.apply(ListingBuild(jobs: jobs, invalid: []))
        return aggregator.metrics
    }

    @Test func regionsInProgressCountOnlyInsideRunningJobs() {
        // The example response of the API page: an aborted job keeps a stale in_progress entry.
        let metrics = aggregate([
            finished(
                "aborted", "aborted", created: 100, completed: 112,
                details: [("123456789012/us-east-1", "in_progress")]),
            finished(
                "done", "completed", created: 10, completed: 14,
                details: [("123456789012/ap-south-1", "in_progress")]),
            running(
                "running", created: 200,
                details: [
                    ("123456789012/eu-west-1", "in_progress"),
                    ("123456789012/eu-west-2", "region synchronized successfully"),
                    ("123456789012/eu-west-3", "In_Progress"),
                ]),
        ])
        #expect(
            metrics.regionsInProgress == [
                RegionInProgress(cloudAccount: "123456789012", cloudRegion: "eu-west-1")
            ])
        #expect(metrics.regionsInProgressCount == 1)
    }

    @Test func theAPIPagesExampleHasNoRegionInProgress() throws {
        // The decoder's fixture: the example page of the API documentation.
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CMWireTests/Fixtures/example-response.json")
        let page = try JobPageDecoder.decodePage([UInt8](Data(contentsOf: url)))
        let metrics = aggregate(page.jobs)
        #expect(metrics.regionsInProgress.isEmpty)
        #expect(metrics.oldestRunningJobStart == nil)
        #expect(metrics.latestJobStatus == "aborted")
        #expect(
            metrics.finished.map { "\($0.status)=\($0.histogram.count)" } == [
                "aborted=1", "completed=1", "failed=0",
            ])
        let aborted = try #require(metrics.finished.first { $0.status == "aborted" }?.histogram)
        #expect(abs(aborted.sum - 12.246868) < 1e-5)
        #expect(metrics.recentFailures.map(\.id) == ["0ea5d52e-387c-44fa-b079-21c8b768f77b"])
    }

    @Test func identicalRegionsOfSeveralRunningJobsCountOnce() {
        let metrics = aggregate([
            running(
                "a", created: 1, details: [("1/us-east-1", "in_progress"), ("2/us-east-1", "in_progress")]),
            running("b", created: 2, details: [("1/us-east-1", "in_progress")]),
        ])
        #expect(
            metrics.regionsInProgress == [
                RegionInProgress(cloudAccount: "1", cloudRegion: "us-east-1"),
                RegionInProgress(cloudAccount: "2", cloudRegion: "us-east-1"),
            ])
        #expect(metrics.runningJobs.map(\.regionsInProgress.count) == [2, 1])
    }

    @Test(arguments: [
        ("123456789012/us-east-1", "123456789012", "us-east-1"),
        ("123456789012/a/b", "123456789012", "a/b"),
        ("my-vault", "", "my-vault"),
        ("projects/p/locations/l/keyRings/r", "", "projects/p/locations/l/keyRings/r"),
        ("acct1/us-east-1", "", "acct1/us-east-1"),
        ("/us-east-1", "", "/us-east-1"),
        ("123/", "", "123/"),
        ("", "", ""),
    ])
    func scopeKeysSplitIntoAccountAndRegionOnlyInTheAWSForm(scope: String, account: String, region: String) {
        #expect(
            RegionInProgress(scope: scope) == RegionInProgress(cloudAccount: account, cloudRegion: region))
    }

    @Test func oldestRunningJobStartIsTheCreatedAtOfTheOldestRunningJob() {
        let metrics = aggregate([
            running("new", created: 300), running("old", created: 200),
            finished("older-but-done", "completed", created: 100, completed: 150),
        ])
        #expect(metrics.oldestRunningJobStart == 200)
        #expect(metrics.runningJobs.map(\.id) == ["old", "new"])
    }

    @Test func oldestRunningJobStartIsAbsentWhenNoneRuns() {
        let metrics = aggregate([finished("done", "completed", created: 100, completed: 150)])
        #expect(metrics.oldestRunningJobStart == nil)
        #expect(metrics.runningJobs.isEmpty)
    }

    @Test func latestJobStatusIsTheStatusOfTheMostRecentlyCreatedJob() {
        let metrics = aggregate([
            finished("b", "completed", created: 100, completed: 150), running("a", created: 300),
            finished("c", "failed", created: 200, completed: 250),
        ])
        #expect(metrics.latestJobStatus == "in_progress")
    }

    @Test func latestJobStatusTiesOnCreatedAtGoToTheGreaterId() {
        let metrics = aggregate([
            finished("b", "failed", created: 100, completed: 150),
            finished("a", "completed", created: 100, completed: 150),
        ])
        #expect(metrics.latestJobStatus == "failed")
    }

    @Test func latestJobStatusKeepsAnUnknownStatus() {
        let metrics = aggregate([finished("a", "error", created: 100, completed: 150)])
        #expect(metrics.latestJobStatus == "error")
    }

    @Test func recentFailuresAreTheNewestNonCompletedFinishedJobs() {
        var jobs: [SyncJob] = (0..<15).map { (n: Int) -> SyncJob in
            let status = n % 2 == 0 ? "failed" : "aborted"
            let at = Double(n)
            return finished("f\(n)", status, created: at, completed: 100 + at, details: [("k", "boom \(n)")])
        }
        jobs.append(finished("ok", "completed", created: 50, completed: 500))
        jobs.append(finished("err", "error", created: 60, completed: 400))
        jobs.append(running("r", created: 70))
        let failures = aggregate(jobs.shuffled()).recentFailures
        #expect(failures.count == ListingMetrics.recentFailureLimit)
        #expect(failures.map(\.id) == ["err", "f14", "f13", "f12", "f11", "f10", "f9", "f8", "f7", "f6"])
        #expect(failures[1].detailedStatus == [SyncJob.ScopeStatus(scope: "k", text: "boom 14")])
        #expect(failures[1].status == "failed")
        #expect(failures[1].completedAt == 114)
    }
}

@Suite struct JobKeyTests {
    @Test func aUUIDKeepsItsExact128Bits() {
        let id = "0ea5d52e-387c-44fa-b079-21c8b768f77b"
        #expect(JobKey(id).isExactUUID)
        #expect(JobKey(id) == JobKey(id.uppercased()))
        #expect(JobKey(id) != JobKey("0ea5d52e-387c-44fa-b079-21c8b768f77c"))
        #expect(JobKey(id) != JobKey("1ea5d52e-387c-44fa-b079-21c8b768f77b"))
    }

    @Test func otherIdsAreHashedWithTheirLength() {
        #expect(!JobKey("job-1").isExactUUID)
        #expect(!JobKey("0ea5d52e_387c-44fa-b079-21c8b768f77b").isExactUUID)
        #expect(!JobKey("0ea5d52e-387c-44fa-b079-21c8b768f77g").isExactUUID)
        #expect(JobKey("job-1") == JobKey("job-1"))
        #expect(JobKey("job-1") != JobKey("job-2"))
        #expect(JobKey("") != JobKey("\u{0}"))
    }

    @Test func manyDistinctIdsGiveDistinctKeys() {
        let ids = (0..<20_000).map { "job-\($0)" } + (0..<20_000).map(uuid)
        #expect(Set(ids.map(JobKey.init)).count == ids.count)
    }
}
