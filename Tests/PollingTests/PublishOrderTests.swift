import Dispatch
import Foundation
import JobMetrics
import MetricsServer
import Synchronization
import TestSupport
import Testing

@testable import Polling

/// Pollers of different CMs publish concurrently: a snapshot taken earlier must never replace
/// a later one in the cache, or counters seen by scrapes go backwards.
@Suite("Concurrent publishes keep their order", .timeLimit(.minutes(3)))
struct PublishOrderTests {
    @Test("counters in the served body never decrease and the last publish shows every count")
    func publishesKeepOrder() {
        // The exporter's own listener: it renders every snapshot, which makes publishes overlap.
        let cache = ScrapeCache()
        let state = ExporterState(
            build: BuildInfo(version: "1", revision: "r", swiftVersion: "6"), publisher: { cache.publish($0) }
        )
        // Listings that make each render take a while, so publishes overlap.
        let padding = (0..<40).map { ListingKey(cm: "c", cloud: "cloud-\($0)") }
        state.adopt(padding, owner: 1)
        // Requests count only for CMs whose listings the owner polls.
        state.adopt([ListingKey(cm: "a", cloud: "aws"), ListingKey(cm: "b", cloud: "aws")], owner: 1)
        for key in padding {
            state.recordFailure(key, owner: 1, reason: .connect, message: "down", duration: 1, end: 1)
        }
        let rounds = 150
        let writersDone = Atomic<Int>(0)
        let decreases = Mutex<[String]>([])
        let finished = DispatchSemaphore(value: 0)
        for cm in ["a", "b"] {
            // Threads, not a dispatch pool: on 2 cores a pool would run the writers one after the other.
            Thread.detachNewThread {
                for _ in 0..<rounds {
                    state.countRequest(cm: cm, owner: 1, endpoint: .syncJobs, code: "200")
                    state.publish()
                }
                writersDone.add(1, ordering: .sequentiallyConsistent)
                finished.signal()
            }
        }
        var last: [String: UInt64] = [:]
        while writersDone.load(ordering: .sequentiallyConsistent) < 2 {
            let counts = Self.requestCounts(cache.rendered.text)
            for (cm, count) in counts where count < last[cm, default: 0] {
                decreases.withLock { seen in
                    if seen.count < 5 { seen.append("\(cm): \(last[cm, default: 0]) -> \(count)") }
                }
            }
            last.merge(counts) { max($0, $1) }
        }
        finished.wait()
        finished.wait()
        #expect(decreases.withLock { $0 } == [])
        #expect(Self.requestCounts(cache.rendered.text) == ["a": UInt64(rounds), "b": UInt64(rounds)])
    }

    /// `cckm_api_requests_total` per `cm` label in a text exposition.
    private static func requestCounts(_ body: [UInt8]) -> [String: UInt64] {
        var counts: [String: UInt64] = [:]
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") {
            guard let sample = ExpositionSample(String(line)), sample.name == "cckm_api_requests_total",
                let cm = sample.labels.first(where: { $0.0 == "cm" })?.1
            else { continue }
            counts[cm] = UInt64(sample.number)
        }
        return counts
    }
}
