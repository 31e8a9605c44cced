/// The sparse, exponential buckets of a Prometheus native histogram, kept beside the classic
/// buckets of ``DurationHistogram`` and written only in the protobuf format.
///
/// Bucket `i` of schema `s` holds the observations in `(2^((i-1)·2^-s), 2^(i·2^-s)]`; values at
/// or below ``zeroThreshold`` go to the zero bucket. The choice for durations (docs/NATIVE-HISTOGRAMS.md):
/// - schema 3 (``initialSchema``): 8 buckets per power of two, each 9.05 % wider than the
///   previous; a median read by `histogram_quantile` (linear inside the bucket) is at most
///   4.5 % off for observations of one value, 1.8 % for 1000 s.
/// - zero threshold 2⁻¹⁰ s (about 1 ms): shorter jobs are "instant"; timestamps carry
///   milliseconds at best.
/// - at most 160 buckets (``maxBuckets``, the usual limit): 1 s to 1 day spans 133 buckets of
///   schema 3; a wider spread halves the resolution (schema 2, 1 …) instead of growing.
public struct NativeBuckets: Sendable, Equatable {
    /// The resolution a histogram starts with.
    public static let initialSchema = 3
    /// Upper bound of the zero bucket, in seconds.
    public static let zeroThreshold = 1.0 / 1024
    /// The most populated buckets before the resolution is halved.
    public static let maxBuckets = 160
    /// The lowest schema Prometheus accepts.
    static let minimumSchema = -4

    /// The current schema; only ever goes down (Prometheus sees no reset when it does).
    public private(set) var schema = NativeBuckets.initialSchema
    /// Observations at or below ``zeroThreshold``.
    public private(set) var zeroCount: UInt64 = 0
    /// Observations per populated bucket index.
    public private(set) var counts: [Int: UInt64] = [:]

    public init() {}

    /// Records one duration in seconds (not negative; a non-finite value is not recorded).
    public mutating func observe(_ seconds: Double) {
        guard seconds.isFinite else { return }
        guard seconds > Self.zeroThreshold else {
            zeroCount += 1
            return
        }
        counts[Self.index(of: seconds, schema: schema), default: 0] += 1
        while counts.count > Self.maxBuckets && schema > Self.minimumSchema { halveResolution() }
    }

    /// The bucket index of `value` (> 0, finite) in `schema`, as client_golang computes it:
    /// from the binary exponent and, for positive schemas, the mantissa's position among the
    /// schema's bounds in `[0.5, 1)`.
    public static func index(of value: Double, schema: Int) -> Int {
        let fraction = value.significand / 2  // value = fraction · 2^exponent, fraction in [0.5, 1)
        let exponent = Int(value.exponent) + 1
        if schema > 0 {
            let bounds = mantissaBounds[schema]
            let position = bounds.firstIndex { $0 >= fraction } ?? bounds.count
            return position + (exponent - 1) * bounds.count
        }
        let key = fraction == 0.5 ? exponent - 1 : exponent
        let offset = (1 << -schema) - 1
        return (key + offset) >> -schema
    }

    /// Upper bound of bucket `index` in `schema`: `2^(index · 2^-schema)`.
    public static func upperBound(index: Int, schema: Int) -> Double {
        if schema <= 0 { return power(2, index << -schema) }
        let perOctave = 1 << schema
        let octave = index >= 0 ? index / perOctave : -((-index + perOctave - 1) / perOctave)
        let position = index - octave * perOctave
        return power(2, octave) * mantissaBounds[schema][position] * 2
    }

    /// Merges pairs of buckets: schema `s` bucket `i` becomes schema `s-1` bucket `⌈i/2⌉`.
    private mutating func halveResolution() {
        var merged: [Int: UInt64] = [:]
        for (index, count) in counts { merged[(index + 1) >> 1, default: 0] += count }
        counts = merged
        schema -= 1
    }

    /// `2^(k·2^-s − 1)` for `k` in `0..<2^s`, per positive schema up to the initial one: the
    /// bounds of the mantissa in `[0.5, 1)`. Built from square roots of 2, as no `exp2` is at
    /// hand without Foundation; each bound is within a few ulps.
    private static let mantissaBounds: [[Double]] = (0...initialSchema).map { schema in
        guard schema > 0 else { return [] }
        let perOctave = 1 << schema
        // roots[j] = 2^(2^-(j+1))
        var roots: [Double] = []
        var root = 2.0
        for _ in 0..<schema {
            root = root.squareRoot()
            roots.append(root)
        }
        return (0..<perOctave).map { k in
            var value = 0.5
            for bit in 0..<schema where k & (1 << (schema - 1 - bit)) != 0 { value *= roots[bit] }
            return value
        }
    }

    private static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        let factor = exponent >= 0 ? base : 1 / base
        for _ in 0..<abs(exponent) { result *= factor }
        return result
    }
}

/// The bucket layout the protobuf `Histogram` message carries: spans of consecutive buckets
/// (the first offset absolute, later ones the gap after the previous span) and each bucket's
/// count as the difference to the previous bucket's.
public struct NativeBucketLayout: Sendable, Equatable {
    /// `length` consecutive buckets, `offset` after the previous span (the first: from 0).
    public struct Span: Sendable, Equatable {
        public let offset: Int
        public let length: Int
        public init(offset: Int, length: Int) {
            self.offset = offset
            self.length = length
        }
    }
    public let spans: [Span]
    public let deltas: [Int64]

    /// The layout of `counts`, bucket indices ascending.
    public init(_ counts: [Int: UInt64]) {
        var spans: [Span] = []
        var deltas: [Int64] = []
        var previousIndex: Int?
        var previousCount: Int64 = 0
        var spanStart = 0
        var spanLength = 0
        for index in counts.keys.sorted() {
            let count = Int64(clamping: counts[index]!)
            if let last = previousIndex, index == last + 1 {
                spanLength += 1
            } else {
                if let last = previousIndex {
                    spans.append(Span(offset: spanStart, length: spanLength))
                    spanStart = index - last - 1
                } else {
                    spanStart = index
                }
                spanLength = 1
            }
            deltas.append(count - previousCount)
            previousCount = count
            previousIndex = index
        }
        if previousIndex != nil { spans.append(Span(offset: spanStart, length: spanLength)) }
        self.spans = spans
        self.deltas = deltas
    }
}
