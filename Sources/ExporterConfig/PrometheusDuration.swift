/// Durations written the Prometheus way: `30s`, `1m30s`, `500ms`, `2h`, `1d`.
public enum PrometheusDuration {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
        ("w", 604_800_000), ("y", 31_536_000_000),
    ]

    /// Parses `text`; nil when it is not a Prometheus duration (units in descending order, each
    /// once, integer amounts, e.g. `1h30m`; a bare `0` is allowed).
    public static func parse(_ text: String) -> Duration? {
        if text == "0" { return .zero }
        var rest = Substring(text)
        var total: Int64 = 0
        var lastUnitIndex = Int.max
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 12, let amount = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            // "ms" must be tried before "m".
            guard
                let index = units.indices.sorted(by: { units[$0].suffix.count > units[$1].suffix.count })
                    .first(where: { rest.hasPrefix(units[$0].suffix) })
            else { return nil }
            guard index < lastUnitIndex else { return nil }
            lastUnitIndex = index
            rest = rest.dropFirst(units[index].suffix.count)
            let (product, overflow) = amount.multipliedReportingOverflow(by: units[index].milliseconds)
            let (sum, sumOverflow) = total.addingReportingOverflow(product)
            guard !overflow, !sumOverflow else { return nil }
            total = sum
        }
        return .milliseconds(total)
    }

    /// Formats like Prometheus does: `1h30m`, `15s`, `250ms`, `0s`.
    public static func format(_ duration: Duration) -> String {
        // Exact integer milliseconds (a Double would round the largest durations it accepts).
        var milliseconds =
            duration.components.seconds * 1000
            + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds == 0 { return "0s" }
        var text = ""
        for (suffix, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000), ("ms", 1)]
        where milliseconds >= size {
            text += "\(milliseconds / size)\(suffix)"
            milliseconds %= size
        }
        return text
    }
}
