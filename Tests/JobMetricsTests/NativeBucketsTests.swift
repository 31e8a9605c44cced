import JobMetrics
import Testing

/// The native histogram's buckets: client_golang's bucket indices, the layout protobuf
/// carries, the bucket limit, and the error `histogram_quantile` makes with schema 3.
@Suite struct NativeBucketsTests {
    @Test(
        "bucket indices as client_golang computes them",
        arguments: [
            (1000.0, 3, 80), (1024.0, 3, 80), (1024.5, 3, 81), (1.0, 3, 0), (1.05, 3, 1), (0.5, 3, -8),
            (86400.0, 3, 132), (1000.0, 0, 10), (1024.0, 0, 10), (1025.0, 0, 11), (1000.0, -1, 5),
            (3.0, 2, 7),
        ])
    func index(value: Double, schema: Int, expected: Int) {
        #expect(NativeBuckets.index(of: value, schema: schema) == expected)
    }

    @Test func upperBoundsAreTheIndexBoundaries() {
        #expect(NativeBuckets.upperBound(index: 80, schema: 3) == 1024)
        #expect(abs(NativeBuckets.upperBound(index: 79, schema: 3) - 939.0121) < 0.001)
        #expect(NativeBuckets.upperBound(index: -8, schema: 3) == 0.5)
        #expect(NativeBuckets.upperBound(index: 10, schema: 0) == 1024)
        for index in -20...140 {
            let bound = NativeBuckets.upperBound(index: index, schema: 3)
            #expect(NativeBuckets.index(of: bound * (1 + 1e-12), schema: 3) == index + 1)
            #expect(NativeBuckets.index(of: bound * (1 - 1e-12), schema: 3) == index)
        }
    }

    @Test func shortDurationsGoToTheZeroBucket() {
        var buckets = NativeBuckets()
        buckets.observe(0)
        buckets.observe(NativeBuckets.zeroThreshold)
        buckets.observe(0.002)
        #expect(buckets.zeroCount == 2)
        #expect(buckets.counts.values.reduce(0, +) == 1)
    }

    @Test func oneSecondToOneDayFitsTheLimitAtSchemaThree() {
        var buckets = NativeBuckets()
        var seconds = 1.0
        while seconds <= 86400 {
            buckets.observe(seconds)
            seconds *= 1.01
        }
        #expect(buckets.schema == 3)
        #expect(buckets.counts.count == 133)
    }

    @Test func aWiderSpreadHalvesTheResolutionAndKeepsEveryObservation() {
        var buckets = NativeBuckets()
        var seconds = 0.001
        var observed: UInt64 = 0
        while seconds < 1e9 {
            buckets.observe(seconds)
            observed += 1
            seconds *= 1.02
        }
        #expect(buckets.schema < NativeBuckets.initialSchema)
        #expect(buckets.counts.count <= NativeBuckets.maxBuckets)
        #expect(buckets.counts.values.reduce(0, +) + buckets.zeroCount == observed)
        for (index, count) in buckets.counts where count > 0 {
            #expect(NativeBuckets.upperBound(index: index, schema: buckets.schema) > 0)
        }
    }

    @Test func theLayoutIsSpansAndDeltas() {
        let layout = NativeBucketLayout([0: 1, 1: 3, 5: 2, -3: 4])
        #expect(
            layout.spans == [
                .init(offset: -3, length: 1), .init(offset: 2, length: 2), .init(offset: 3, length: 1),
            ])
        #expect(layout.deltas == [4, -3, 2, -1])
        #expect(NativeBucketLayout([:]).spans.isEmpty)
    }

    /// `histogram_quantile` interpolates linearly inside the bucket (Prometheus 2.42): the median
    /// of observations of one value is the middle of its bucket.
    @Test func theMedianOfOneDurationIsWithinFivePercent() {
        var worst = 0.0
        var seconds = 1.0
        while seconds <= 86400 {
            let index = NativeBuckets.index(of: seconds, schema: NativeBuckets.initialSchema)
            let upper = NativeBuckets.upperBound(index: index, schema: NativeBuckets.initialSchema)
            let lower = NativeBuckets.upperBound(index: index - 1, schema: NativeBuckets.initialSchema)
            worst = max(worst, abs((lower + upper) / 2 - seconds) / seconds)
            seconds *= 1.001
        }
        #expect(worst < 0.046)
        let index = NativeBuckets.index(of: 1000, schema: 3)
        let median =
            (NativeBuckets.upperBound(index: index - 1, schema: 3)
                + NativeBuckets.upperBound(index: index, schema: 3)) / 2
        #expect(abs(median - 981.506) < 0.001)
    }
}
