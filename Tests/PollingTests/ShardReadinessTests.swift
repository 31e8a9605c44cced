import JobMetrics
import Testing

@testable import Polling

/// A shard that owns no CM has no listing to wait for: it is ready once it knows so; a shard
/// that owns CMs waits for their first polls as an unsharded exporter does.
@Suite("Readiness of a shard")
struct ShardReadinessTests {
    private func state() -> ExporterState {
        ExporterState(build: BuildInfo(version: "1", revision: "r", swiftVersion: "6"))
    }

    @Test("owning no CM: ready at once")
    func ownsNothing() {
        let state = state()
        #expect(!state.isReady)
        state.shard = ShardMetrics(ordinal: 3, totalShards: 4, ownedTargets: 0, otherShardsTargets: 12)
        #expect(state.isReady)
    }

    @Test("owning CMs: ready once each of their listings was attempted")
    func ownsSome() {
        let state = state()
        state.shard = ShardMetrics(ordinal: 1, totalShards: 4, ownedTargets: 1, otherShardsTargets: 11)
        #expect(!state.isReady)
        expectReadyOnceAttempted(state)
    }
}
