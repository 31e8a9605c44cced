/// The observations of `cckm_sync_job_duration_seconds` for one status, with the contract's
/// buckets (``bucketUpperBounds``) and, for the protobuf format, the
/// native histogram's buckets (``NativeBuckets``) of the same observations. Its ``count`` is
/// also the value of `cckm_sync_jobs_finished_total`: both count each finished job id once.
public struct DurationHistogram: Sendable, Equatable {
    /// Observations per bucket, not cumulative: index `i` counts durations in
    /// `(bound[i-1], bound[i]]`; the last index counts those above the largest bound.
    public private(set) var bucketCounts: [UInt64]
    /// Sum of all observed durations, in seconds.
    public private(set) var sum: Double
    /// Number of observations.
    public private(set) var count: UInt64
    /// The same observations in exponential buckets (the native histogram).
    public private(set) var native = NativeBuckets()

    /// Upper bounds of the contract's classic buckets, in seconds (`+Inf` is implicit).
    public static let bucketUpperBounds: [Double] = [
        1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400,
    ]

    public init() {
        bucketCounts = Array(repeating: 0, count: Self.bucketUpperBounds.count + 1)
        sum = 0
        count = 0
    }

    /// Records one duration in seconds (`le` semantics: a value equal to a bound falls in it).
    public mutating func observe(_ seconds: Double) {
        bucketCounts[Self.bucketIndex(of: seconds)] += 1
        sum += seconds
        count += 1
        native.observe(seconds)
    }

    /// The index of the classic bucket `seconds` falls in (``bucketCounts``' index).
    public static func bucketIndex(of seconds: Double) -> Int {
        let bounds = bucketUpperBounds
        return bounds.firstIndex { seconds <= $0 } ?? bounds.count
    }

    /// Cumulative counts for each finite upper bound, as `_bucket{le="…"}` samples carry them
    /// (the `+Inf` bucket equals ``count``).
    public var cumulativeCounts: [UInt64] {
        var running: UInt64 = 0
        return bucketCounts.dropLast().map { count in
            running += count
            return running
        }
    }
}
