/// A job's `id`: a random version-4 UUID kept as two words, written in the usual
/// `8-4-4-4-12` lower-case hex form only when a job is rendered.
struct JobID: Hashable, Sendable {
    var high: UInt64
    var low: UInt64

    init<Generator: RandomNumberGenerator>(random: inout Generator) {
        high = (random.next() & ~0xF000) | 0x4000  // version 4
        low = (random.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
    }

    /// Parses the canonical form (any case); nil for anything else.
    init?(_ text: String) {
        var words: [UInt64] = [0, 0]
        var digits = 0
        for (offset, byte) in text.utf8.enumerated() {
            if [8, 13, 18, 23].contains(offset) {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let nibble = Self.nibble(byte), digits < 32 else { return nil }
            words[digits / 16] = words[digits / 16] << 4 | UInt64(nibble)
            digits += 1
        }
        guard digits == 32 else { return nil }
        high = words[0]
        low = words[1]
    }

    /// Appends the canonical form to `bytes`.
    func write(into bytes: inout [UInt8]) {
        for (index, word) in [high, low].enumerated() {
            for nibbleIndex in 0..<16 {
                let position = index * 16 + nibbleIndex
                if position == 8 || position == 12 || position == 16 || position == 20 {
                    bytes.append(UInt8(ascii: "-"))
                }
                bytes.append(Self.hexDigits[Int((word >> UInt64(60 - 4 * nibbleIndex)) & 0xF)])
            }
        }
    }

    var string: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
