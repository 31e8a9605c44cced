/// RFC 3339 timestamps as CipherTrust Manager writes them (Go's `time.RFC3339Nano`).
///
/// Parses straight from bytes with days-from-civil arithmetic: no `DateFormatter`, no
/// `Calendar`, no allocation. The result is seconds since the Unix epoch (UTC) as a `Double`,
/// which keeps microseconds exact for present-day dates (nanoseconds are rounded).
///
/// Accepted: `YYYY-MM-DD` `T`|`t`|space `hh:mm:ss`, an optional `.` with 1–9 fractional digits,
/// then `Z`|`z` or `±hh:mm`, and nothing after. Ranges are checked (month 1–12, day within the
/// month including leap years, hour 0–23, minute 0–59, second 0–60 for a leap second, offset up
/// to ±23:59). A leap second counts as the first second of the next minute.
public enum RFC3339 {
    /// Go's zero time `0001-01-01T00:00:00Z`, which CipherTrust Manager writes for "not yet":
    /// seconds since the epoch (-62135596800).
    public static let goZeroTime: Double = -62_135_596_800

    /// Seconds since the Unix epoch, or nil when `bytes` is not an RFC 3339 timestamp.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Double? {
        guard let base = bytes.baseAddress else { return nil }
        return parse(base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    }

    /// Seconds since the Unix epoch, or nil when `text` is not an RFC 3339 timestamp.
    public static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// The shortest valid form: `2020-11-05T06:39:45Z`.
    private static let minimumLength = 20

    static func parse(_ p: UnsafePointer<UInt8>, count: Int) -> Double? {
        guard count >= minimumLength,
            let year = digits4(p), p[4] == UInt8(ascii: "-"),
            let month = digits2(p + 5), p[7] == UInt8(ascii: "-"),
            let day = digits2(p + 8), isDateTimeSeparator(p[10]),
            let hour = digits2(p + 11), p[13] == UInt8(ascii: ":"),
            let minute = digits2(p + 14), p[16] == UInt8(ascii: ":"),
            let second = digits2(p + 17),
            (1...12).contains(month), day >= 1, day <= daysInMonth(month, year: year),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }

        var index = 19
        var fraction = 0
        var fractionScale = 1.0
        if p[index] == UInt8(ascii: ".") {
            index += 1
            let firstDigit = index
            while index < count, let digit = digit(p[index]) {
                guard index - firstDigit < 9 else { return nil }
                fraction = fraction * 10 + digit
                fractionScale *= 10
                index += 1
            }
            guard index > firstDigit else { return nil }
        }
        guard let offset = zoneOffsetSeconds(p + index, count: count - index) else { return nil }

        let days = daysFromCivil(year: year, month: month, day: day)
        let wholeSeconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Double(wholeSeconds) + Double(fraction) / fractionScale
    }

    /// `Z`, `z` or `±hh:mm` filling exactly `count` bytes, as seconds east of UTC.
    private static func zoneOffsetSeconds(_ p: UnsafePointer<UInt8>, count: Int) -> Int? {
        if count == 1, p[0] | 0x20 == UInt8(ascii: "z") { return 0 }
        guard count == 6, p[0] == UInt8(ascii: "+") || p[0] == UInt8(ascii: "-"),
            let hours = digits2(p + 1), p[3] == UInt8(ascii: ":"), let minutes = digits2(p + 4),
            hours <= 23, minutes <= 59
        else { return nil }
        let seconds = hours * 3_600 + minutes * 60
        return p[0] == UInt8(ascii: "-") ? -seconds : seconds
    }

    private static func isDateTimeSeparator(_ byte: UInt8) -> Bool {
        byte | 0x20 == UInt8(ascii: "t") || byte == UInt8(ascii: " ")
    }

    @inline(__always)
    private static func digit(_ byte: UInt8) -> Int? {
        let value = byte &- UInt8(ascii: "0")
        return value < 10 ? Int(value) : nil
    }

    @inline(__always)
    private static func digits2(_ p: UnsafePointer<UInt8>) -> Int? {
        guard let tens = digit(p[0]), let ones = digit(p[1]) else { return nil }
        return tens * 10 + ones
    }

    @inline(__always)
    private static func digits4(_ p: UnsafePointer<UInt8>) -> Int? {
        guard let high = digits2(p), let low = digits2(p + 2) else { return nil }
        return high * 100 + low
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9  // March = 0, so Feb 29 ends a year
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
