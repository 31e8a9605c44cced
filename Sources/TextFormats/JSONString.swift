/// JSON string literals written straight into bytes (RFC 8259): `"` and `\` escaped, `\n`,
/// `\r` and `\t` by name, the other C0 controls as `\u00xx`; everything else as UTF-8.
///
/// One writer for every JSON the process produces by hand: the simulator's pages, the login
/// bodies sent to CipherTrust Manager and the exporter's JSON log lines.
public enum JSONString {
    /// Appends `text` quoted and escaped to `out`. Scalars for which `alsoEscaping` is true
    /// are written as `\u` escapes too (a log passes `VisibleText.needsEscape`), as
    /// a surrogate pair above U+FFFF; it is asked only about scalars JSON lets through as they
    /// are, so the common ASCII case costs no call.
    public static func append(
        _ text: String, to out: inout [UInt8], alsoEscaping: (Unicode.Scalar) -> Bool = { _ in false }
    ) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x22, 0x5C:
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(value))
            case 0x0A: appendNamed(UInt8(ascii: "n"), to: &out)
            case 0x0D: appendNamed(UInt8(ascii: "r"), to: &out)
            case 0x09: appendNamed(UInt8(ascii: "t"), to: &out)
            case 0..<0x20: appendUnicodeEscape(UInt16(value), to: &out)
            case 0x20..<0x7F: out.append(UInt8(value))
            default:
                if !alsoEscaping(scalar) {
                    UTF8.encode(scalar) { out.append($0) }
                } else if value > 0xFFFF {
                    let offset = value - 0x1_0000
                    appendUnicodeEscape(UInt16(0xD800 + (offset >> 10)), to: &out)
                    appendUnicodeEscape(UInt16(0xDC00 + (offset & 0x3FF)), to: &out)
                } else {
                    appendUnicodeEscape(UInt16(value), to: &out)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `text` as a quoted JSON string (see ``append(_:to:alsoEscaping:)``).
    public static func quoted(_ text: String, alsoEscaping: (Unicode.Scalar) -> Bool = { _ in false })
        -> String
    {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        append(text, to: &out, alsoEscaping: alsoEscaping)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendNamed(_ letter: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        out.append(letter)
    }

    /// `\u001b`: four lowercase hex digits, as Go's encoders and ``VisibleText`` write them.
    private static func appendUnicodeEscape(_ unit: UInt16, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigits[Int((unit >> UInt16(shift)) & 0xF)])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
