import TextFormats

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
    mutating func string(_ text: String) { JSONString.append(text, to: &bytes) }

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
        bytes.append(UInt8(ascii: "\""))
        UTCTimestamp.append(
            secondsSinceEpoch, precision: .microseconds, rounding: .toNearestOrAwayFromZero, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
}
