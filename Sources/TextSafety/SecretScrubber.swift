/// Cuts every piece of a secret (password, refresh token, JWT) out of text that may echo it:
/// not only the whole secret but **any run of ``fragmentLength`` or more of its bytes**, as it
/// is or JSON-escaped, percent- or form-encoded, HTML-escaped or inside base64 (decoded up to
/// ``decodingDepth`` times over, e.g. a login body JSON-escaped once more inside CM's message).
/// Each such run becomes `<redacted>`.
///
/// Matching works on 5-byte windows: a text byte range is cut when its bytes, read through any
/// decoding, form a window of some secret. This cuts a little more than the secret (a common
/// 5-letter word inside a password also goes), never less. Secrets shorter than
/// ``fragmentLength`` bytes are cut where they occur whole.
///
/// Scrub *before* cutting text to length: a cut-off secret is a fragment, and fragments are
/// what this type looks for, but a text cut first could end mid-escape.
public struct SecretScrubber: Sendable {
    /// The shortest piece of a secret that is cut out (shorter pieces tell too little).
    public static let fragmentLength = 5
    /// How many decodings are applied one after the other.
    public static let decodingDepth = 2
    /// Most decoded readings of one text (decodings of decodings): bounds the work.
    static let maximumReadings = 48
    /// What replaces each cut range.
    public static let marker = "<redacted>"

    private let windows: Set<UInt64>
    /// One bit per hash bucket of ``windows``: most text windows are rejected here, without
    /// hashing into the set.
    private let filter: [UInt64]
    private let shortSecrets: [[UInt8]]

    public init(secrets: some Sequence<String>) {
        var windows = Set<UInt64>()
        var short: [[UInt8]] = []
        for secret in secrets where !secret.isEmpty {
            let bytes = Array(secret.utf8)
            if bytes.count < Self.fragmentLength {
                short.append(bytes)
                continue
            }
            for start in 0...(bytes.count - Self.fragmentLength) {
                windows.insert(Self.window(bytes, start))
            }
        }
        var filter = [UInt64](repeating: 0, count: Self.filterWords)
        for window in windows {
            let bucket = Self.bucket(window)
            filter[bucket >> 6] |= 1 << UInt64(bucket & 63)
        }
        self.windows = windows
        self.filter = filter
        self.shortSecrets = short
    }

    private static let filterWords = 1024

    /// A bucket of the filter (16 bits of a multiplicative hash).
    private static func bucket(_ window: UInt64) -> Int {
        Int(truncatingIfNeeded: (window &* 0x9E37_79B9_7F4A_7C15) >> 48)
    }

    private func mayBeSecret(_ window: UInt64) -> Bool {
        let bucket = Self.bucket(window)
        return filter[bucket >> 6] & (1 << UInt64(bucket & 63)) != 0 && windows.contains(window)
    }

    /// True when there is nothing to scrub.
    public var isEmpty: Bool { windows.isEmpty && shortSecrets.isEmpty }

    /// `text` with every piece of a secret replaced by ``marker``. When the result would
    /// still show a piece (a secret made of the marker's own letters), the whole text goes.
    public func scrub(_ text: String) -> String {
        guard !isEmpty else { return text }
        let bytes = Array(text.utf8)
        let ranges = leaks(in: bytes)
        guard !ranges.isEmpty else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var next = 0
        for range in ranges {
            out += bytes[next..<range.lowerBound]
            out += Self.marker.utf8
            next = range.upperBound
        }
        out += bytes[next...]
        guard leaks(in: out).isEmpty else { return Self.marker }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when `text` shows a piece of a secret in any reading.
    public func reveals(_ text: String) -> Bool { !isEmpty && !leaks(in: Array(text.utf8)).isEmpty }

    /// The byte ranges of `bytes` to cut, sorted, merged, widened to whole UTF-8 characters.
    func leaks(in bytes: [UInt8]) -> [Range<Int>] {
        var marks: [Range<Int>] = []
        for reading in readings(of: bytes) {
            for segment in reading.segments { mark(segment, into: &marks) }
        }
        return Self.merged(marks, in: bytes)
    }

    /// The text as it is, then decoded by every escape decoding up to ``decodingDepth`` deep,
    /// then each of those read as base64, and what base64 yields unescaped once more (a
    /// base64'd JSON body); base64 inside base64 is not looked for: what base64 yields is
    /// mostly noise, and decoding noise again costs much and finds nothing.
    private func readings(of bytes: [UInt8]) -> [DecodedText] {
        var all = [DecodedText(original: bytes)]
        var frontier = all
        for _ in 0..<Self.decodingDepth {
            var next: [DecodedText] = []
            for text in frontier {
                for decoding in TextDecoding.escapes where all.count + next.count < Self.maximumReadings {
                    if let decoded = decoding.decode(text) { next.append(decoded) }
                }
            }
            all += next
            frontier = next
        }
        let base64 = all.compactMap { TextDecoding.base64.decode($0) }
        let unescaped = base64.flatMap { text in TextDecoding.escapes.compactMap { $0.decode(text) } }
        return all + base64 + unescaped
    }

    private func mark(_ segment: DecodedText.Segment, into marks: inout [Range<Int>]) {
        let bytes = segment.bytes
        if !windows.isEmpty && bytes.count >= Self.fragmentLength {
            var window: UInt64 = 0
            for index in 0..<bytes.count {
                // A rolling window: the last five bytes in the low 40 bits.
                window = (window << 8 | UInt64(bytes[index])) & 0xFF_FFFF_FFFF
                if index >= Self.fragmentLength - 1 && mayBeSecret(window) {
                    let start = index - (Self.fragmentLength - 1)
                    marks.append(segment.origin(start, start + Self.fragmentLength))
                }
            }
        }
        for secret in shortSecrets where bytes.count >= secret.count {
            for start in 0...(bytes.count - secret.count)
            where bytes[start..<(start + secret.count)].elementsEqual(secret) {
                marks.append(segment.origin(start, start + secret.count))
            }
        }
    }

    /// Five bytes packed into one integer.
    private static func window(_ bytes: [UInt8], _ start: Int) -> UInt64 {
        var value: UInt64 = 0
        for offset in 0..<fragmentLength { value = value << 8 | UInt64(bytes[start + offset]) }
        return value
    }

    private static func merged(_ marks: [Range<Int>], in bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for mark in marks.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            var lower = mark.lowerBound
            var upper = mark.upperBound
            // Never split a UTF-8 character: continuation bytes are 0b10xxxxxx.
            while lower > 0 && bytes[lower] & 0xC0 == 0x80 { lower -= 1 }
            while upper < bytes.count && bytes[upper] & 0xC0 == 0x80 { upper += 1 }
            if let last = out.last, lower <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, upper)
            } else {
                out.append(lower..<upper)
            }
        }
        return out
    }
}
