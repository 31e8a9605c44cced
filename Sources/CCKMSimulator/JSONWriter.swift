/// Writes JSON straight into bytes: pages of up to a thousand jobs are rendered per request,
/// so no intermediate strings or `Encodable` trees.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// Appends text that is already JSON (punctuation, keys without escapes, literals).
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func rawBytes(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    /// Appends `"text"` with JSON escapes.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case UInt8(ascii: "\n"): raw("\\n")
            case UInt8(ascii: "\r"): raw("\\r")
            case UInt8(ascii: "\t"): raw("\\t")
            case 0..<0x20:
                raw("\\u00")
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    /// Appends `"key":`.
    mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Appends a quoted RFC 3339 UTC timestamp with microseconds, as CM writes them:
    /// `"2020-11-05T06:39:45.726289Z"`.
    mutating func timestamp(_ secondsSinceEpoch: Double) {
        let micros = Int64((secondsSinceEpoch * 1_000_000).rounded())
        let microsPerDay: Int64 = 86_400_000_000
        let days = micros >= 0 ? micros / microsPerDay : (micros - microsPerDay + 1) / microsPerDay
        var rest = micros - days * microsPerDay
        let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        bytes.append(UInt8(ascii: "\""))
        digits(Int64(year), width: 4)
        bytes.append(UInt8(ascii: "-"))
        digits(Int64(month), width: 2)
        bytes.append(UInt8(ascii: "-"))
        digits(Int64(day), width: 2)
        bytes.append(UInt8(ascii: "T"))
        digits(rest / 3_600_000_000, width: 2)
        rest %= 3_600_000_000
        bytes.append(UInt8(ascii: ":"))
        digits(rest / 60_000_000, width: 2)
        rest %= 60_000_000
        bytes.append(UInt8(ascii: ":"))
        digits(rest / 1_000_000, width: 2)
        bytes.append(UInt8(ascii: "."))
        digits(rest % 1_000_000, width: 6)
        raw("Z\"")
    }

    private mutating func digits(_ value: Int64, width: Int) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var value = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            value %= divisor
            divisor /= 10
        }
    }

    /// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
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

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
