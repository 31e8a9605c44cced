import JobMetrics
import MetricsExposition
import TestSupport
import Testing

/// The protobuf exposition read back with the tests' own wire reader and compared with the
/// text exposition of the same snapshot, series by series.
@Suite struct ProtobufExpositionTests {
    static var families: [DecodedFamily] {
        let bytes = ExpositionTests.output(.protobuf)
        return (ProtobufReader.delimited(bytes) ?? []).compactMap(DecodedFamily.init)
    }

    @Test func outputMatchesTheGoldenFile() throws {
        try GoldenFile("exposition.pb").assertMatches(ExpositionTests.output(.protobuf))
    }

    @Test func theStreamIsDelimitedMessagesOfEveryFamilyInNameOrder() throws {
        let messages = try #require(ProtobufReader.delimited(ExpositionTests.output(.protobuf)))
        let families = messages.compactMap(DecodedFamily.init)
        #expect(families.count == messages.count, "a message that is no MetricFamily")
        // The golden snapshot is unsharded: no shard family (ShardFamiliesTests); and it has no
        // client certificate: no client-certificate family (ClientCertificateExpiryTests).
        let unsharded = MetricCatalogue.all.filter {
            !MetricCatalogue.shardFamilies.contains($0)
                && !MetricCatalogue.clientCertificateFamilies.contains($0)
        }
        #expect(families.map(\.name) == unsharded.map(\.name))
        for (family, descriptor) in zip(families, unsharded) {
            #expect(family.help == descriptor.help)
            let type: UInt64 =
                switch descriptor.type {
                case .counter: 0
                case .gauge: 1
                case .histogram: 4
                }
            #expect(family.type == type, "\(family.name)")
        }
    }

    /// Every counter and gauge sample of the text format has the same labels and value in
    /// protobuf, and nothing else is there.
    @Test func everySeriesEqualsTheTextFormat() {
        let text = ExpositionTests.text(.prometheusText)
        var expected: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let sample = ExpositionSample(String(line)),
                !sample.name.hasPrefix("cckm_sync_job_duration")
            else {
                continue
            }
            expected[Self.key(sample.name, sample.labels.map { ($0.0, Self.unescape($0.1)) })] = goFloat(
                sample.value)
        }
        var found: [String: Double] = [:]
        for family in Self.families where family.type != 4 {
            for metric in family.metrics { found[Self.key(family.name, metric.labels)] = metric.value }
        }
        #expect(found == expected)
    }

    @Test func theHistogramCarriesClassicAndNativeBucketsOfTheSameObservations() throws {
        let family = try #require(Self.families.first { $0.name == "cckm_sync_job_duration_seconds" })
        #expect(family.metrics.count == 8)
        for metric in family.metrics {
            let histogram = try #require(metric.histogram)
            #expect(histogram.buckets.map(\.upperBound) == DurationHistogram.bucketUpperBounds)
            #expect(histogram.schema == 3)
            #expect(histogram.zeroThreshold == NativeBuckets.zeroThreshold)
            let native = histogram.nativeCounts.values.reduce(0, +) + Int64(histogram.zeroCount)
            #expect(native == Int64(histogram.count), "\(metric.labels)")
            #expect(histogram.nativeCounts.values.allSatisfy { $0 > 0 })
        }
        let failed = try #require(
            family.metrics.first {
                $0.labels.contains { $0 == ("status", "failed") } && $0.labels[0].1 == "aws"
            })
        // b2 took 0.5 s: classic bucket le=1, native bucket 2^-1 (index -8 of schema 3).
        #expect(failed.histogram?.bucketExemplars == [1: "b2"])
        #expect(failed.histogram?.exemplarIDs == ["b2"])
        #expect(failed.histogram?.nativeCounts == [-8: 1])
    }

    @Test func finishedCountersCarryTheNewestJobAsExemplar() throws {
        let family = try #require(Self.families.first { $0.name == "cckm_sync_jobs_finished_total" })
        let aborted = try #require(
            family.metrics.first { $0.labels.contains { $0 == ("status", "aborted") } })
        let exemplar = try #require(aborted.exemplar)
        #expect(exemplar.id == "0ea5d52e-387c-44fa-b079-21c8b768f77b")
        #expect(exemplar.value == 1)
        #expect(exemplar.seconds == 1_700_000_012)
    }

    private static func key(_ name: String, _ labels: [(String, String)]) -> String {
        name + "{" + labels.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "}"
    }

    private static func unescape(_ value: String) -> String {
        var result = ""
        var escaped = false
        for character in value {
            if escaped {
                result.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
