/// A compact, hashable stand-in for a job's `id`, so tracking 100,000 seen jobs keeps no
/// per-job `String` (24 bytes a key instead of a heap-allocated string each).
///
/// - A UUID in its canonical text form (`8-4-4-4-12` hex digits, either case) becomes its
///   128 bits, exactly: two ids map to the same key only when they name the same UUID
///   (upper- and lower-case spellings of one UUID are treated as the same id).
/// - Any other id becomes a 64-bit FNV-1a hash plus its length in bytes. Two different
///   non-UUID ids collide with a probability of about n²/2⁶⁵ (≈ 3·10⁻¹⁰ for 100,000 ids),
///   which would at worst skip counting one job.
public struct JobKey: Hashable, Sendable {
    private enum Kind: UInt8, Hashable, Sendable {
        case uuid
        case hashed
    }

    private let high: UInt64
    private let low: UInt64
    private let kind: Kind

    public init(_ id: String) {
        var id = id
        let key = id.withUTF8 { bytes in
            JobKey.uuid(bytes) ?? JobKey(high: JobKey.fnv1a(bytes), low: UInt64(bytes.count), kind: .hashed)
        }
        self = key
    }

    private init(high: UInt64, low: UInt64, kind: Kind) {
        self.high = high
        self.low = low
        self.kind = kind
    }

    /// Two words instead of the synthesized three fields: hashing 100,000 keys per poll is a
    /// visible share of aggregation. The kind only flips a bit, equality still compares it.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(high)
        hasher.combine(kind == .uuid ? low : ~low)
    }

    /// True when the id was a UUID and the key holds its exact 128 bits.
    public var isExactUUID: Bool { kind == .uuid }

    private static let uuidLength = 36

    private static func uuid(_ bytes: UnsafeBufferPointer<UInt8>) -> JobKey? {
        guard bytes.count == uuidLength else { return nil }
        let dash = UInt8(ascii: "-")
        guard bytes[8] == dash, bytes[13] == dash, bytes[18] == dash, bytes[23] == dash,
            let a = hexDigits(bytes, from: 0, count: 8), let b = hexDigits(bytes, from: 9, count: 4),
            let c = hexDigits(bytes, from: 14, count: 4), let d = hexDigits(bytes, from: 19, count: 4),
            let e = hexDigits(bytes, from: 24, count: 12)
        else { return nil }
        return JobKey(high: a << 32 | b << 16 | c, low: d << 48 | e, kind: .uuid)
    }

    /// The value of `count` hex digits (either case) from `start`; nil when one is not a hex
    /// digit. Branch-light: this runs once per job of every listing.
    private static func hexDigits(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, count: Int
    ) -> UInt64? {
        var value: UInt64 = 0
        var invalid = false
        for offset in start..<start + count {
            let byte = bytes[offset]
            let digit = byte &- UInt8(ascii: "0")
            let letter = (byte | 0x20) &- UInt8(ascii: "a")  // 0x20 folds A-F onto a-f
            invalid = invalid || (digit >= 10 && letter >= 6)
            value = value << 4 | UInt64(digit < 10 ? digit : letter &+ 10)
        }
        return invalid ? nil : value
    }

    /// 64-bit FNV-1a: stable across runs (unlike `Hasher`) and cheap on short ids.
    private static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
