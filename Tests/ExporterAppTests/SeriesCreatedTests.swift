import Foundation
import JobMetrics
import MetricsExposition
import Testing

@testable import Polling

/// `_created` says when a counter began counting: a listing dropped and adopted again (a
/// reshard away and back, a reload removing and re-adding a CM) counts from 0 again, and its
/// `_created` must move with it, or `rate()` and `increase()` read the restart as a reset
/// that happened at the exporter's start.
@Suite("_created of a listing adopted again")
struct SeriesCreatedTests {
    @Test("a listing dropped and adopted again: its counters' _created move to the adoption, the CM's too")
    func readoptedListingCountsFromItsAdoption() {
        let start = 1_000.0
        let state = ExporterState(
            build: BuildInfo(version: "test", revision: "test", swiftVersion: "6"),
            startTime: start)
        let key = ListingKey(cm: "cm1", cloud: "aws")
        let other = ListingKey(cm: "cm2", cloud: "aws")
        let created = { (name: String) -> [Double] in
            let text = String(
                decoding: ExpositionWriter.render(state.snapshot(), format: .openMetrics), as: UTF8.self)
            return text.split(separator: "\n").filter {
                $0.hasPrefix(name + "_created{") && $0.contains("cm=\"cm1\"")
            }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        }
        let poll = {
            state.adopt([key, other], owner: 1)
            state.recordFailure(key, owner: 1, reason: .http, message: "503", duration: 0, end: start)
            state.countRequest(cm: "cm1", owner: 1, endpoint: .syncJobs, code: "503")
        }
        poll()
        #expect(
            !created("cckm_poll_errors").isEmpty && created("cckm_poll_errors").allSatisfy { $0 == start })
        #expect(created("cckm_api_requests") == [start])
        state.retain(only: [other])  // resharded away
        let before = Date().timeIntervalSince1970
        poll()  // and back: the counters start at 0 (1 now)
        #expect(state.snapshot().health.first { $0.key == key }?.errorsTotal[.http] == 1)
        #expect(created("cckm_poll_errors").allSatisfy { $0 >= before }, "\(created("cckm_poll_errors"))")
        #expect(created("cckm_api_requests").allSatisfy { $0 >= before }, "\(created("cckm_api_requests"))")
        #expect(!created("cckm_poll_errors").isEmpty && created("cckm_api_requests").count == 1)
    }
}
