import CMWire
import JobMetrics
import Testing

/// A complete listing taken in page by page (``ListingBuild``, what the poller does) gives the
/// metrics and counters ``ListingAggregator/apply(jobs:invalid:)`` gives for the whole listing.
@Suite struct ListingBuildTests {
    let key = ListingKey(cm: "prod", cloud: "aws")

    @Test("page by page equals the whole listing, over random listings with purges")
    func streamingEqualsWholeListing() {
        var world = EvolvingListing(seed: 7)
        var random = SplitMix(seed: 99)
        var whole = ListingAggregator(key: key)
        var streamed = ListingAggregator(key: key)
        var purged = 0
        for step in 0..<200 {
            world.step()
            if random.next(10) == 0 { purged += random.next(4) }  // CM purges the oldest jobs
            let jobs = Array(world.jobs.dropFirst(min(purged, world.jobs.count)))
            var invalid = world.invalid
            if random.next(5) == 0 { invalid.append(InvalidJob(id: nil, reason: .missingID)) }
            // Newest first, as CM lists them; the same order for both paths.
            let listing = Array(jobs.reversed())
            whole.apply(jobs: listing, invalid: invalid)
            streamed.apply(Self.build(listing, invalid: invalid, pageSize: 1 + random.next(7)))
            #expect(streamed.metrics == whole.metrics, "step \(step)")
            #expect(streamed.trackedFinishedJobs == whole.trackedFinishedJobs, "step \(step)")
            #expect(streamed.trackedInvalidJobs == whole.trackedInvalidJobs, "step \(step)")
            #expect(streamed.knownJobs.count == whole.knownJobs.count, "step \(step)")
            if streamed.metrics != whole.metrics { return }
        }
        #expect(whole.metrics.finished.map(\.histogram.count).reduce(0, +) > 50)
        #expect(whole.metrics.invalidJobs.map(\.count).reduce(0, +) > 5)
        #expect(purged > 0)
    }

    @Test("incremental changes after a streamed listing equal the whole-listing path")
    func incrementalAfterStreaming() {
        var world = EvolvingListing(seed: 3)
        var whole = ListingAggregator(key: key)
        var streamed = ListingAggregator(key: key)
        for _ in 0..<5 { world.step() }
        whole.apply(jobs: world.jobs, invalid: world.invalid)
        streamed.apply(Self.build(world.jobs, invalid: world.invalid, pageSize: 4))
        let known = Set(world.jobs.map(\.id))
        let wasRunning = Set(world.jobs.filter { $0.status == "in_progress" }.map(\.id))
        world.step()
        let changed = world.jobs.filter { !known.contains($0.id) || wasRunning.contains($0.id) }
        whole.apply(changes: ListingChanges(jobs: changed))
        streamed.apply(changes: ListingChanges(jobs: changed))
        #expect(streamed.metrics == whole.metrics)
        #expect(streamed.metrics.jobsByStatus.map(\.count).reduce(0, +) == UInt64(world.jobs.count))
    }

    /// The listing cut into pages of `pageSize`, each page's entries added as the pager
    /// hands them on (jobs, then that page's invalid entries).
    static func build(_ jobs: [SyncJob], invalid: [InvalidJob], pageSize: Int) -> ListingBuild {
        var build = ListingBuild()
        for start in stride(from: 0, to: jobs.count, by: pageSize) {
            for job in jobs[start..<min(start + pageSize, jobs.count)] { build.add(job, key: JobKey(job.id)) }
        }
        for entry in invalid { build.add(invalid: entry) }
        return build
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
