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
        var high: UInt64 = 0
        var low: UInt64 = 0
        var nibbles = 0
        for offset in 0..<uuidLength {
            let byte = bytes[offset]
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let nibble = hexValue(byte) else { return nil }
            if nibbles < 16 {
                high = high << 4 | UInt64(nibble)
            } else {
                low = low << 4 | UInt64(nibble)
            }
            nibbles += 1
        }
        return JobKey(high: high, low: low, kind: .uuid)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
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
