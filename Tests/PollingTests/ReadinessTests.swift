import JobMetrics
import Testing

@testable import Polling

/// `/-/ready` is 503 until every CM listing finished its first poll attempt (contract
/// section 4), including the moment the server listens but no poller has adopted a listing.
@Suite("Readiness before the pollers")
struct ReadinessTests {
    @Test("not ready while no listing is known; ready once each known listing was attempted")
    func readyNeedsListings() {
        let state = ExporterState(
            build: BuildInfo(version: "1", revision: "r", swiftVersion: "6"))
        #expect(!state.isReady)
        expectReadyOnceAttempted(state)
    }
}

/// Adopts a listing, then expects `state` not ready until that listing's first poll attempt
/// ended (a failed one counts), and ready after it.
func expectReadyOnceAttempted(_ state: ExporterState, sourceLocation: SourceLocation = #_sourceLocation) {
    let key = ListingKey(cm: "prod", cloud: "aws")
    state.adopt([key], owner: 1)
    #expect(!state.isReady, "a listing adopted, none attempted", sourceLocation: sourceLocation)
    state.recordFailure(key, owner: 1, reason: .connect, message: "refused", duration: 0.1, end: 1)
    #expect(state.isReady, "the listing attempted", sourceLocation: sourceLocation)
}
