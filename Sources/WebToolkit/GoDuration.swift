/// Go's `time.ParseDuration` syntax (`1s`, `1m30s`, `250ms`, `1.5h`), which exporter-toolkit's
/// YAML uses for `rate_limit.interval`; a bare integer is nanoseconds, as yaml.v2 decodes it.
public enum GoDuration {
    static let units: [(suffix: String, nanoseconds: Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// The duration, or nil when `text` is not one.
    public static func parse(_ text: String) -> Duration? {
        if let nanoseconds = Int64(text) { return .nanoseconds(nanoseconds) }
        var rest = Substring(text)
        var sign = 1.0
        if let first = rest.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        if rest == "0" { return .zero }
        if rest.isEmpty { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = units.first(where: { $0.suffix == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.nanoseconds
        }
        guard total * sign < 9.2e18, total * sign > -9.2e18 else { return nil }
        return .nanoseconds(Int64(total * sign))
    }
}
