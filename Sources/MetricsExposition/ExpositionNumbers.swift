/// Sample values as the exposition formats spell them.
///
/// Prometheus text 0.0.4: integral values below 2⁵³ in plain digits (`42`, `1700000000`),
/// other values in the shortest form that reads back to the same `Double` (`0.25`,
/// `1700000000.5`, `1e-05`), and `+Inf`, `-Inf`, `NaN`. client_golang itself writes Go's `%g`,
/// which turns integers of 7 digits or more into exponents (`1.7e+09`); both parse to the
/// same value, and plain digits keep timestamps and counters readable.
///
/// OpenMetrics 1.0.0: the same, except that a floating-point value always shows it is one
/// (`42.0`, as client_golang's OpenMetrics writer does).
enum ExpositionNumbers {
    /// 2⁵³: beyond it not every integer is a `Double`, and plain digits would mislead.
    private static let exactIntegerLimit: Double = 9_007_199_254_740_992

    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        // Most significant digit first; `divisor * 10 <= value` keeps it from overflowing.
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    static func append(_ value: Double, format: ExpositionFormat, to bytes: inout [UInt8]) {
        if value.isNaN {
            bytes.append(contentsOf: "NaN".utf8)
        } else if value.isInfinite {
            bytes.append(contentsOf: (value < 0 ? "-Inf" : "+Inf").utf8)
        } else if value == value.rounded(.towardZero), abs(value) < exactIntegerLimit {
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            append(UInt64(abs(value)), to: &bytes)
            if format == .openMetrics { bytes.append(contentsOf: ".0".utf8) }
        } else {
            // Swift's description is the shortest round-trip form, with an exponent only for
            // very large or small magnitudes; it always has a "." or an "e" here.
            bytes.append(contentsOf: value.description.utf8)
        }
    }
}
