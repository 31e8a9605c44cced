import CMWire
import JobMetrics
import TestSupport
import Testing

/// Complete listings applied one after the other, as the poller builds them page by page
/// (``ListingBuild``), checked against the test's own reading of each listing: the gauges are
/// those of the listing of now, each finished job is counted once under its status, each
/// invalid id once.
@Suite struct ListingBuildTests {
    let key = ListingKey(cm: "prod", cloud: "aws")

    /// What the contract says the metrics of a sequence of complete listings are.
    private struct Expected {
        var finished: [String: (count: UInt64, sum: Double)] = [:]
        var finishedIDs: Set<String> = []
        var invalidIDs: [InvalidJobReason: Set<String>] = [:]
        var invalidWithoutID: [InvalidJobReason: UInt64] = [:]

        /// Takes the next complete listing in.
        mutating func see(_ jobs: [SyncJob], invalid: [InvalidJob]) {
            for job in jobs where job.status != "in_progress" {
                guard let completedAt = job.completedAt, completedAt >= job.createdAt,
                    finishedIDs.insert(job.id).inserted
                else { continue }
                let (count, sum) = finished[job.status] ?? (0, 0)
                finished[job.status] = (count + 1, sum + completedAt - job.createdAt)
            }
            for entry in invalid {
                if let id = entry.id {
                    invalidIDs[entry.reason, default: []].insert(id)
                } else {
                    invalidWithoutID[entry.reason, default: 0] += 1
                }
            }
        }

        func invalidCount(_ reason: InvalidJobReason) -> UInt64 {
            UInt64(invalidIDs[reason]?.count ?? 0) + (invalidWithoutID[reason] ?? 0)
        }
    }

    private func expectGauges(
        _ metrics: ListingMetrics, of jobs: [SyncJob], step: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let counted = metrics.jobsByStatus.filter { $0.count > 0 }.map { "\($0.status)=\($0.count)" }
        let listed = Dictionary(grouping: jobs, by: \.status).map { "\($0.key)=\($0.value.count)" }
        #expect(Set(counted) == Set(listed), "step \(step)", sourceLocation: sourceLocation)
        let running = jobs.filter { $0.status == "in_progress" }
        #expect(
            metrics.oldestRunningJobStart == running.map(\.createdAt).min(), "step \(step)",
            sourceLocation: sourceLocation)
        let regions = Set(
            running.flatMap { $0.detailedStatus.filter { $0.text == "in_progress" }.map(\.scope) })
        #expect(
            metrics.regionsInProgressCount == regions.count, "step \(step)", sourceLocation: sourceLocation)
        let latest = jobs.max { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        #expect(metrics.latestJobStatus == latest?.status, "step \(step)", sourceLocation: sourceLocation)
    }

    @Test("complete listings over a random history with purges: the listing's gauges, each job counted once")
    func completeListingsFollowTheContract() {
        var world = EvolvingListing(seed: 7)
        var random = SplitMix(seed: 99)
        var aggregator = ListingAggregator(key: key)
        var expected = Expected()
        var purged = 0
        for step in 0..<200 {
            world.step()
            if random.next(10) == 0 { purged += random.next(4) }  // CM purges the oldest jobs
            let jobs = Array(world.jobs.dropFirst(min(purged, world.jobs.count)))
            var invalid = world.invalid
            if random.next(5) == 0 { invalid.append(InvalidJob(id: nil, reason: .missingID)) }
            // Newest first, as CM lists them.
            let listing = Array(jobs.reversed())
            aggregator.apply(ListingBuild(jobs: listing, invalid: invalid))
            expected.see(listing, invalid: invalid)
            let metrics = aggregator.metrics
            expectGauges(metrics, of: listing, step: step)
            #expect(aggregator.knownJobs.count == listing.count, "step \(step)")
            let finished = metrics.finished.filter { $0.histogram.count > 0 }
            #expect(
                Set(finished.map { "\($0.status)=\($0.histogram.count)" })
                    == Set(expected.finished.map { "\($0.key)=\($0.value.count)" }), "step \(step)")
            for series in finished {
                let sum = expected.finished[series.status]?.sum ?? -1
                #expect(abs(series.histogram.sum - sum) < 1e-6, "step \(step) \(series.status)")
            }
            for count in metrics.invalidJobs {
                #expect(count.count == expected.invalidCount(count.reason), "step \(step) \(count.reason)")
            }
            if Set(finished.map(\.histogram.count)) != Set(expected.finished.values.map(\.count)) { return }
        }
        #expect(expected.finishedIDs.count > 50)
        #expect(expected.invalidIDs.values.map(\.count).reduce(0, +) > 5)
        #expect(purged > 0)
    }
}

/// A small deterministic generator (SplitMix64).
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

@Suite struct JobKeyParsingTests {
    @Test("every hex digit of a UUID counts, in either case; any other byte makes it a hashed id")
    func everyPosition() {
        let id = Array("0ea5d52e-387c-44fa-b079-21c8b768f77b".utf8)
        let reference = JobKey(String(decoding: id, as: UTF8.self))
        var keys: Set<JobKey> = [reference]
        for position in id.indices where id[position] != UInt8(ascii: "-") {
            for replacement in "0123456789abcdefABCDEF".utf8 where replacement | 0x20 != id[position] | 0x20 {
                var changed = id
                changed[position] = replacement
                let key = JobKey(String(decoding: changed, as: UTF8.self))
                #expect(key.isExactUUID)
                keys.insert(key)
            }
            for bad in "gG/:@`-z ".utf8 {
                var changed = id
                changed[position] = bad
                #expect(!JobKey(String(decoding: changed, as: UTF8.self)).isExactUUID)
            }
        }
        // 32 positions × 15 other values, upper and lower case of a letter being the same key.
        #expect(keys.count == 1 + 32 * 15)
    }
}
