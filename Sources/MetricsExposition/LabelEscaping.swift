/// Escaping for the text exposition formats, written straight into the output bytes.
///
/// Label values escape `\` as `\\`, `"` as `\"` and a newline as `\n` in both Prometheus
/// text 0.0.4 and OpenMetrics 1.0.0. HELP text escapes `\` and newline in text 0.0.4, and
/// also `"` in OpenMetrics (as client_golang does). Everything else, any UTF-8 included,
/// is written as it is.
public enum LabelEscaping {
    /// Appends `value` escaped for use between the quotes of a label.
    public static func appendLabelValue(_ value: String, to bytes: inout [UInt8]) {
        append(value, escapingQuotes: true, to: &bytes)
    }

    /// Appends `help` escaped for a `# HELP` line of `format`.
    public static func appendHelp(_ help: String, format: ExpositionFormat, to bytes: inout [UInt8]) {
        append(help, escapingQuotes: format == .openMetrics, to: &bytes)
    }

    /// `value` escaped for use between the quotes of a label (for callers that need text).
    public static func escapedLabelValue(_ value: String) -> String {
        var bytes: [UInt8] = []
        appendLabelValue(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func append(_ text: String, escapingQuotes: Bool, to bytes: inout [UInt8]) {
        let utf8 = text.utf8
        let needsEscaping = utf8.contains { byte in
            byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\n")
                || (escapingQuotes && byte == UInt8(ascii: "\""))
        }
        guard needsEscaping else {
            bytes.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\"") where escapingQuotes:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            default: bytes.append(byte)
            }
        }
    }
}
