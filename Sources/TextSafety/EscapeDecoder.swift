/// Decoding of escape sequences that start with one trigger byte (`\`, `%`, `&`), keeping
/// every decoded byte's origin.
enum EscapeDecoder {
    /// Reads one escape at `index` (where the trigger byte is): the decoded bytes and how many
    /// input bytes the escape took, or nil when it is not an escape.
    typealias Escape = @Sendable (_ bytes: [UInt8], _ index: Int) -> (decoded: [UInt8], length: Int)?

    /// `segment` with every escape decoded, or nil when it holds none.
    static func decode(_ segment: DecodedText.Segment, trigger: UInt8, _ escape: Escape) -> DecodedText
        .Segment?
    {
        let bytes = segment.bytes
        guard bytes.contains(trigger) else { return nil }
        var out = DecodedText.Segment()
        var changed = false
        var index = 0
        while index < bytes.count {
            if bytes[index] == trigger, let (decoded, length) = escape(bytes, index) {
                let origin = segment.origin(index, index + length)
                for byte in decoded { out.append(byte, from: origin) }
                index += length
                changed = true
            } else {
                out.append(bytes[index], from: segment.origins[index])
                index += 1
            }
        }
        return changed ? out : nil
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The number written by `count` hex digits at `index`, or nil.
    static func hex(_ bytes: [UInt8], _ index: Int, count: Int) -> UInt32? {
        guard index + count <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[index..<(index + count)] {
            guard let digit = hexValue(byte) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    static func utf8(_ value: UInt32) -> [UInt8]? {
        Unicode.Scalar(value).map { Array(String(Character($0)).utf8) }
    }

    static let jsonEscape: Escape = { bytes, index in
        guard index + 1 < bytes.count else { return nil }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "'"):
            return ([bytes[index + 1]], 2)
        case UInt8(ascii: "b"): return ([0x08], 2)
        case UInt8(ascii: "f"): return ([0x0C], 2)
        case UInt8(ascii: "n"): return ([0x0A], 2)
        case UInt8(ascii: "r"): return ([0x0D], 2)
        case UInt8(ascii: "t"): return ([0x09], 2)
        case UInt8(ascii: "u"):
            guard let unit = hex(bytes, index + 2, count: 4) else { return nil }
            if (0xD800..<0xDC00).contains(unit), index + 12 <= bytes.count,
                bytes[index + 6] == UInt8(ascii: "\\"), bytes[index + 7] == UInt8(ascii: "u"),
                let low = hex(bytes, index + 8, count: 4), (0xDC00..<0xE000).contains(low)
            {
                let scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                return utf8(scalar).map { ($0, 12) }
            }
            return utf8(unit).map { ($0, 6) }
        default: return nil
        }
    }

    static let percentEscape: Escape = { bytes, index in
        hex(bytes, index + 1, count: 2).map { ([UInt8($0)], 3) }
    }

    static let htmlEntity: Escape = { bytes, index in
        guard let end = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { return nil }
        let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
        let length = end - index + 1
        let named: [String: UInt8] = ["quot": 0x22, "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "apos": 0x27]
        if let byte = named[name] { return ([byte], length) }
        guard name.hasPrefix("#") else { return nil }
        let digits = name.dropFirst()
        let value =
            digits.first == "x" || digits.first == "X"
            ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
        return value.flatMap(utf8).map { ($0, length) }
    }
}
