import JobMetrics
import TestSupport
import Testing

@testable import MetricsExposition

/// The shard families appear only when sharded: an unsharded exporter's output is what it was
/// before sharding existed (the golden files stay as they are).
@Suite("Shard metrics")
struct ShardFamiliesTests {
    private static let shard = ShardMetrics(
        ordinal: 2, totalShards: 4, ownedTargets: 3, otherShardsTargets: 9)

    private static func text(_ snapshot: MetricsSnapshot, _ format: ExpositionFormat = .prometheusText)
        -> String
    {
        String(decoding: ExpositionWriter.render(snapshot, format: format), as: UTF8.self)
    }

    @Test("unsharded: not one byte differs from a snapshot that knows nothing of shards")
    func unshardedIsUnchanged() {
        for format in ExpositionFormat.allCases {
            let plain = ExpositionWriter.render(ExpositionFixtures.snapshot, format: format)
            var unsharded = ExpositionFixtures.snapshot
            unsharded.shard = nil
            #expect(ExpositionWriter.render(unsharded, format: format) == plain)
            #expect(!Self.text(unsharded, format).contains("shard"))
        }
    }

    @Test("sharded: ordinal, total and targets by state, in name order between the other families")
    func sharded() throws {
        var snapshot = ExpositionFixtures.snapshot
        snapshot.shard = Self.shard
        let text = Self.text(snapshot)
        let expected = """
            # HELP cckm_exporter_shard_ordinal This exporter's shard ordinal (also its shard label); written only when sharded.
            # TYPE cckm_exporter_shard_ordinal gauge
            cckm_exporter_shard_ordinal{shard="2"} 2
            # HELP cckm_exporter_targets Configured CipherTrust Managers this shard polls (state owned) and those other shards poll (state other_shards); written only when sharded.
            # TYPE cckm_exporter_targets gauge
            cckm_exporter_targets{shard="2",state="other_shards"} 9
            cckm_exporter_targets{shard="2",state="owned"} 3
            # HELP cckm_exporter_total_shards Shards the configured CipherTrust Managers are split among; written only when sharded.
            # TYPE cckm_exporter_total_shards gauge
            cckm_exporter_total_shards 4

            """
        #expect(text.contains(expected))
        let limit = try #require(text.range(of: "# TYPE cckm_exporter_limit_reached_total"))
        let ordinal = try #require(text.range(of: "# TYPE cckm_exporter_shard_ordinal"))
        let invalid = try #require(text.range(of: "# TYPE cckm_jobs_invalid_total"))
        #expect(limit.lowerBound < ordinal.lowerBound && ordinal.lowerBound < invalid.lowerBound)
        #expect(
            Self.text(snapshot, .openMetrics).contains(
                "cckm_exporter_targets{shard=\"2\",state=\"owned\"} 3.0\n"))
    }

    @Test("protobuf carries the same shard families, labels and values")
    func protobuf() throws {
        var snapshot = ExpositionFixtures.snapshot
        snapshot.shard = Self.shard
        let messages = try #require(
            ProtobufReader.delimited(ExpositionWriter.render(snapshot, format: .protobuf)))
        let families = Dictionary(
            uniqueKeysWithValues: messages.compactMap(DecodedFamily.init).map { ($0.name, $0) })
        let targets = try #require(families["cckm_exporter_targets"])
        #expect(
            targets.metrics.map { $0.labels.map { "\($0.0)=\($0.1)" } } == [
                ["shard=2", "state=other_shards"], ["shard=2", "state=owned"],
            ])
        #expect(targets.metrics.map(\.value) == [9, 3])
        #expect(families["cckm_exporter_total_shards"]?.metrics.first?.value == 4)
        #expect(families["cckm_exporter_shard_ordinal"]?.metrics.first?.labels.first?.1 == "2")
    }

    @Test(.enabled(if: Promtool.isInstalled, "promtool is not installed at \(Promtool.path)"))
    func shardedOutputPassesPromtool() throws {
        var snapshot = ExpositionFixtures.snapshot
        snapshot.shard = Self.shard
        let result = try Promtool.checkMetrics(ExpositionWriter.render(snapshot, format: .prometheusText))
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("a shard that owns nothing says so on the status pages")
    func ownsNothing() {
        let none = ShardMetrics(ordinal: 0, totalShards: 4, ownedTargets: 0, otherShardsTargets: 12)
        #expect(none.summary.contains("owns none of the 12 configured"))
        #expect(Self.shard.summary.hasPrefix("Shard 2 of 4 polls 3 of the 12 configured"))
    }
}
