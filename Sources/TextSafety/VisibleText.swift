/// Text that is safe to print: every character that could act on a terminal, forge a line or
/// reorder what a reader sees is spelled out as `\u001b` (the way go-logfmt and JSON write it).
///
/// That is the C0 controls (NUL, BEL, ESC, CR, LF, TAB, …), DEL, the C1 controls
/// U+0080–U+009F (U+009B starts an escape sequence on its own), the Unicode line and paragraph
/// separators, and the bidirectional controls ("Trojan Source").
public enum VisibleText {
    /// True for a scalar that ``escaped(_:)`` spells out.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x2028, 0x2029: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// `text` with each scalar of ``needsEscape(_:)`` written as `\u` and four hex digits.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                out.append(contentsOf: unicodeEscape(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `\u001b`.
    public static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// What leaves the process from CM's side: secrets scrubbed (``SecretRegistry/shared``),
    /// then control characters spelled out.
    public static func shown(_ text: String) -> String {
        escaped(SecretRegistry.shared.scrub(text))
    }
}
