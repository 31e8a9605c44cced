import CMWire
import JobMetrics
import TestSupport
import Testing

/// `ListingAggregator.apply(changes:)` gives the metrics `apply(_:)` gives for the
/// complete listing, step after step of a listing that grows and whose jobs progress.
@Suite struct IncrementalAggregationTests {
    let key = ListingKey(cm: "prod", cloud: "aws")

    @Test("changes (new jobs + re-read running ones) give the metrics of the complete listing")
    func incrementalEqualsComplete() {
        var world = EvolvingListing(seed: 42)
        var complete = ListingAggregator(key: key)
        var incremental = ListingAggregator(key: key)
        world.step()
        complete.apply(ListingBuild(jobs: world.jobs, invalid: world.invalid))
        incremental.apply(ListingBuild(jobs: world.jobs, invalid: world.invalid))
        for step in 0..<300 {
            let wasRunning = Set(world.jobs.filter { $0.status == "in_progress" }.map(\.id))
            let knownIDs = Set(world.jobs.map(\.id))
            world.step()
            // What an incremental poll fetches: the new jobs, the boundary job, and the jobs
            // that were running (in their state of now).
            let changed = world.jobs.filter { !knownIDs.contains($0.id) || wasRunning.contains($0.id) }
            let boundary = world.jobs.filter { knownIDs.contains($0.id) }.suffix(1)
            let newInvalid = world.invalid.filter { !(complete.knownJobs.contains($0.id ?? "")) }
            complete.apply(ListingBuild(jobs: world.jobs, invalid: world.invalid))
            incremental.apply(changes: ListingChanges(jobs: changed + boundary, invalid: newInvalid))
            #expect(incremental.metrics == complete.metrics, "step \(step)")
            if incremental.metrics != complete.metrics { return }
        }
        #expect(complete.metrics.finished.map(\.histogram.count).reduce(0, +) > 100)
        #expect(incremental.knownJobs.count == world.jobs.count)
    }

    @Test("a complete listing after incremental ones forgets deleted jobs")
    func replaceForgetsDeletedJobs() {
        var aggregator = ListingAggregator(key: key)
        let old = SyncJob(id: "a", status: "failed", createdAt: 1, completedAt: 2)
        let new = SyncJob(id: "b", status: "completed", createdAt: 3, completedAt: 4)
        aggregator.apply(ListingBuild(jobs: [old], invalid: []))
        aggregator.apply(changes: ListingChanges(jobs: [new]))
        #expect(aggregator.metrics.jobsByStatus.map(\.count).reduce(0, +) == 2)
        aggregator.apply(ListingBuild(jobs: [new], invalid: []))
        #expect(aggregator.knownJobs.count == 1)
        #expect(aggregator.metrics.recentFailures.isEmpty)
        #expect(aggregator.metrics.jobsByStatus.first { $0.status == "failed" }?.count == 0)
        #expect(aggregator.metrics.finished.first { $0.status == "failed" }?.histogram.count == 1)
    }
}

/// A listing that gains jobs and whose running jobs progress and finish, deterministically.
struct EvolvingListing {
    private(set) var jobs: [SyncJob] = []
    private(set) var invalid: [InvalidJob] = []
    private var random: UInt64
    private var clock = 1_700_000_000.0
    private var nextID = 0

    init(seed: UInt64) {
        random = seed
    }

    private mutating func next(_ bound: Int) -> Int {
        random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((random >> 33) % UInt64(bound))
    }

    mutating func step() {
        clock += 1
        for index in jobs.indices where jobs[index].status == "in_progress" {
            var job = jobs[index]
            progress(&job)
            jobs[index] = job
        }
        for _ in 0..<next(4) {
            nextID += 1
            let id = "job-\(nextID)"
            if next(40) == 0 {
                invalid.append(InvalidJob(id: id, reason: .badCreatedAt))
                continue
            }
            // Same createdAt now and then: ties are broken by id.
            let created = clock + Double(next(2)) * 0.25
            let regions = (0..<(1 + next(3))).map {
                SyncJob.ScopeStatus(scope: "12345678901\($0)/region-\(next(5))", text: "in_progress")
            }
            var job = SyncJob(id: id, status: "in_progress", createdAt: created, detailedStatus: regions)
            if next(3) == 0 { progress(&job) }
            jobs.append(job)
        }
    }

    private mutating func progress(_ job: inout SyncJob) {
        if let open = job.detailedStatus.firstIndex(where: { $0.text == "in_progress" }), next(3) > 0 {
            job.detailedStatus[open].text = "region synchronized successfully"
            return
        }
        guard next(2) == 0 else { return }
        let statuses = ["completed", "completed", "failed", "aborted", "error"]
        job.status = statuses[next(statuses.count)]
        job.completedAt = next(30) == 0 ? job.createdAt - 1 : clock + Double(next(100))
        job.abortRequested = job.status == "aborted"
    }
}
