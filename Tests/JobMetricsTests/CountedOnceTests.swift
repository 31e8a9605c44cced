import CMWire
import JobMetrics
import TestSupport
import Testing

/// Each finished job id is counted exactly once, whatever sequence of complete walks, walks
/// cut short, incremental polls and consistency checks reads a listing that grows, finishes
/// jobs and is purged from its oldest end (issue 19, item 1). Seeded and in memory: seconds.
@Suite struct CountedOnceTests {
    let key = ListingKey(cm: "prod", cloud: "aws")

    @Test("any sequence of walks, short walks, incremental polls and checks counts each finished id once")
    func countedOnce() {
        var forgotten = 0
        for seed in UInt64(1)...40 {
            var run = CountedOnceRun(seed: seed, key: key)
            for step in 0..<300 {
                let operation = run.step()
                #expect(
                    run.countedFinished == run.delivered.count,
                    "seed \(seed), step \(step), after \(operation)")
                #expect(run.countedCancelled == run.deliveredCancelled.count, "seed \(seed), step \(step)")
                if run.countedFinished != run.delivered.count { return }
            }
            forgotten += run.delivered.count - run.aggregator.trackedFinishedJobs
        }
        #expect(forgotten > 1000, "purged ids are forgotten at all (memory stays bounded)")
    }

    @Test("one walk cut short, then an incremental poll, then a complete walk: nothing counted twice")
    func shortWalkThenCompleteWalk() {
        var aggregator = ListingAggregator(key: key)
        let jobs = (0..<6).map {
            finished(uuid($0), "completed", created: Double($0 * 10), completed: Double($0 * 10 + 1))
        }
        aggregator.apply(ListingBuild(jobs: jobs, invalid: []))
        aggregator.observeListingOldest(0)
        // A walk that ended early: an empty page at the lagging node's end.
        aggregator.apply(ListingBuild(jobs: Array(jobs[3...]), invalid: []))
        aggregator.apply(changes: ListingChanges(jobs: [jobs[5]]))
        aggregator.apply(ListingBuild(jobs: jobs, invalid: []))
        #expect(aggregator.metrics.finished.first { $0.status == "completed" }?.histogram.count == 6)
    }
}

/// One seeded run: the listing as CM holds it, the aggregator, and what it was given.
private struct CountedOnceRun {
    /// The jobs CM lists, oldest first.
    var listing: [SyncJob] = []
    var aggregator: ListingAggregator
    /// Finished ids handed to the aggregator so far (each must be counted once).
    var delivered: Set<String> = []
    var deliveredCancelled: Set<String> = []
    private var random: UInt64
    private var clock = 1_700_000_000.0
    private var nextID = 0

    init(seed: UInt64, key: ListingKey) {
        random = seed &* 0x9E37_79B9_7F4A_7C15
        aggregator = ListingAggregator(key: key)
    }

    var countedFinished: UInt64 { aggregator.metrics.finished.map(\.histogram.count).reduce(0, +) }
    var countedCancelled: UInt64 { aggregator.metrics.cancelled }

    private mutating func next(_ bound: Int) -> Int {
        random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((random >> 33) % UInt64(bound))
    }

    /// CM moves on, then one read of it; returns the read's name.
    mutating func step() -> String {
        evolve()
        let newestFirst = Array(listing.reversed())
        switch next(8) {
        case 0:
            apply(newestFirst)
            if let oldest = listing.first { aggregator.observeListingOldest(oldest.createdAt) }
            return "a complete walk"
        case 1:
            // Cut short at the old end (an empty page early, a smaller `total` on a late page).
            apply(Array(newestFirst.prefix(1 + next(max(1, listing.count)))))
            return "a walk cut short at the old end"
        case 2:
            // A lagging node: the newest jobs are not listed yet.
            apply(Array(newestFirst.dropFirst(next(4))))
            return "a walk on a lagging node"
        case 3:
            // A consistency check reads the far end: CM's oldest job now, the purge repaired.
            if let oldest = listing.first {
                aggregator.dropJobs(createdBefore: oldest.createdAt)
                aggregator.observeListingOldest(oldest.createdAt)
            }
            return "a far-end read"
        default:
            pollIncrementally()
            return "an incremental poll"
        }
    }

    /// The newest jobs down to the newest one held, and the held running jobs as they are now.
    private mutating func pollIncrementally() {
        let newest = aggregator.knownJobs.newestCreatedAt ?? -.infinity
        let running = Set(aggregator.knownJobs.runningJobs.map(\.id))
        let changed = listing.reversed().filter { $0.createdAt > newest || running.contains($0.id) }
        note(changed)
        aggregator.apply(changes: ListingChanges(jobs: changed))
    }

    private mutating func apply(_ jobs: [SyncJob]) {
        note(jobs)
        aggregator.apply(ListingBuild(jobs: jobs, invalid: []))
    }

    private mutating func note(_ jobs: [SyncJob]) {
        for job in jobs where job.status != "in_progress" && (job.completedAt ?? -1) >= job.createdAt {
            delivered.insert(job.id)
            if job.abortRequested { deliveredCancelled.insert(job.id) }
        }
    }

    /// New jobs, running jobs that finish, and now and then a purge of the oldest jobs.
    private mutating func evolve() {
        clock += 10
        for index in listing.indices where listing[index].status == "in_progress" && next(3) == 0 {
            let statuses = ["completed", "completed", "failed", "aborted", "error"]
            listing[index].status = statuses[next(statuses.count)]
            listing[index].completedAt = clock
            listing[index].abortRequested = listing[index].status == "aborted" || next(10) == 0
        }
        for _ in 0..<next(4) {
            nextID += 1
            listing.append(running(uuid(nextID), created: clock + Double(next(5))))
        }
        listing.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        if next(6) == 0 { listing.removeFirst(min(listing.count, next(12))) }
    }
}
