/// Resolves the escapes of a JSON string's content into UTF-8 bytes.
///
/// Rare on the hot path (CipherTrust Manager's ids, statuses and scopes are plain ASCII), so it
/// favours clarity. It never traps: an escape cut short is copied as it stands, and a `\u`
/// surrogate without its partner becomes U+FFFD, as does invalid UTF-8 once `String` decodes it.
enum JSONStringUnescaping {
    static let replacementCharacter: UInt32 = 0xFFFD

    static func unescape(_ content: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(content.count)
        var index = 0
        while index < content.count {
            let byte = content[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < content.count else {
                output.append(byte)
                index += 1
                continue
            }
            let escaped = content[index + 1]
            if escaped == UInt8(ascii: "u"), let unit = codeUnit(content, at: index + 2) {
                index += 6
                appendUTF8(scalarFrom(unit, content: content, index: &index), to: &output)
            } else {
                output.append(simpleEscape(escaped))
                index += 2
            }
        }
        return output
    }

    /// The byte `\x` stands for; unknown escapes (which the scanner refuses) map to themselves.
    private static func simpleEscape(_ escaped: UInt8) -> UInt8 {
        switch escaped {
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return escaped  // `"`, `\`, `/`
        }
    }

    /// Joins a high surrogate with a following `\uDC00`–`\uDFFF`; anything unpaired is U+FFFD.
    private static func scalarFrom(
        _ unit: UInt32, content: UnsafeBufferPointer<UInt8>, index: inout Int
    ) -> UInt32 {
        switch unit {
        case 0xD800...0xDBFF:
            guard index + 1 < content.count, content[index] == UInt8(ascii: "\\"),
                content[index + 1] == UInt8(ascii: "u"),
                let low = codeUnit(content, at: index + 2), (0xDC00...0xDFFF).contains(low)
            else { return replacementCharacter }
            index += 6
            return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00...0xDFFF:
            return replacementCharacter
        default:
            return unit
        }
    }

    /// The UTF-16 code unit spelled by four hex digits at `offset`, if they are all there.
    private static func codeUnit(_ content: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt32? {
        guard offset >= 0, content.count - offset >= 4 else { return nil }
        var unit: UInt32 = 0
        for position in offset..<(offset + 4) {
            guard let digit = hexValue(content[position]) else { return nil }
            unit = unit << 4 | digit
        }
        return unit
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18 & 0x07))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
