/// RFC 3339 timestamps in UTC from seconds since the epoch, by arithmetic (Howard Hinnant's
/// `civil_from_days`): no `gmtime`, no formatter, no locale, the same text on every thread.
///
/// `2026-11-29T02:00:00.000Z` (log lines), `2026-11-29 02:00:00Z` (the status page: RFC 3339
/// allows a space for the `T`), `2020-11-05T06:39:45.726289Z` (the simulator, as CM writes).
public enum UTCTimestamp {
    /// Digits after the seconds.
    public enum Precision: Int, Sendable {
        case seconds = 0
        case milliseconds = 3
        case microseconds = 6
    }

    /// What stands between the date and the time.
    public enum Separator: UInt8, Sendable {
        case letterT = 0x54
        case space = 0x20
    }

    /// Appends the timestamp of `seconds` to `out`, cut to `precision` by `rounding` (the
    /// default drops the rest, as a clock shows the time).
    public static func append(
        _ seconds: Double, precision: Precision, rounding: FloatingPointRoundingRule = .down,
        separator: Separator = .letterT, to out: inout [UInt8]
    ) {
        var scale: Int64 = 1
        for _ in 0..<precision.rawValue { scale *= 10 }
        let ticks = Int64((seconds * Double(scale)).rounded(rounding))
        let ticksPerDay = 86_400 * scale
        let days = ticks >= 0 ? ticks / ticksPerDay : (ticks - ticksPerDay + 1) / ticksPerDay
        let secondOfDay = (ticks - days * ticksPerDay) / scale
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        if year < 0 { out.append(UInt8(ascii: "-")) }
        digits(abs(year), width: year < 0 ? 3 : 4, to: &out)
        out.append(UInt8(ascii: "-"))
        digits(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        digits(day, width: 2, to: &out)
        out.append(separator.rawValue)
        digits(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, width: 2, to: &out)
        if precision != .seconds {
            out.append(UInt8(ascii: "."))
            digits(ticks - days * ticksPerDay - secondOfDay * scale, width: precision.rawValue, to: &out)
        }
        out.append(UInt8(ascii: "Z"))
    }

    /// The timestamp of `seconds` as text (see ``append(_:precision:rounding:separator:to:)``).
    public static func string(
        _ seconds: Double, precision: Precision, rounding: FloatingPointRoundingRule = .down,
        separator: Separator = .letterT
    ) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        append(seconds, precision: precision, rounding: rounding, separator: separator, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `value` (not negative) in decimal, zero-padded to at least `width` digits, as `%0*d`.
    private static func digits(_ value: Int64, width: Int, to out: inout [UInt8]) {
        var count = 1
        var divisor: Int64 = 1
        while value / divisor >= 10 {
            divisor *= 10
            count += 1
        }
        for _ in count..<max(width, count) { out.append(UInt8(ascii: "0")) }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
