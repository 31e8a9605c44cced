import MetricsExposition
import Synchronization

/// Picks the exposition format and encoding from `Accept` and `Accept-Encoding`, the way
/// client_golang's promhttp does: protobuf (`application/vnd.google.protobuf` with
/// `proto=io.prometheus.client.MetricFamily` and `encoding=delimited`) when the client ranks it
/// at least as high as every text format, else OpenMetrics 1.0.0 when ranked at least as high as
/// the text format, else text; gzip whenever it is acceptable.
public enum ContentNegotiation {
    /// The format for an `Accept` header (nil header: the text format). A Prometheus sends the
    /// same header on every scrape, so the last answer is kept: parsing Prometheus 2.42's
    /// five-entry header costs more than serving the cached body.
    public static func format(accept: String?) -> ExpositionFormat {
        guard let accept else { return .prometheusText }
        if let known = lastAnswer.withLock({ $0 }), known.accept == accept { return known.format }
        let format = parseFormat(accept: accept)
        lastAnswer.withLock { $0 = (accept, format) }
        return format
    }

    private static let lastAnswer = Mutex<(accept: String, format: ExpositionFormat)?>(nil)

    static func parseFormat(accept: String) -> ExpositionFormat {
        var openMetricsQuality = -1.0
        var textQuality = -1.0
        var protobufQuality = -1.0
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let mediaType = parts.first?.lowercased() else { continue }
            var quality = 1.0
            var version: String?
            var proto: String?
            var encoding: String?
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2 else { continue }
                switch pair[0].lowercased() {
                case "q": quality = Double(pair[1]) ?? 0
                case "version": version = pair[1]
                case "proto": proto = pair[1]
                case "encoding": encoding = pair[1].lowercased()
                default: break
                }
            }
            switch mediaType {
            case "application/vnd.google.protobuf"
            where proto == "io.prometheus.client.MetricFamily" && encoding == "delimited":
                protobufQuality = max(protobufQuality, quality)
            case "application/openmetrics-text" where version == nil || version == "1.0.0":
                openMetricsQuality = max(openMetricsQuality, quality)
            case "text/plain", "*/*", "text/*":
                textQuality = max(textQuality, quality)
            default:
                break
            }
        }
        if protobufQuality > 0 && protobufQuality >= openMetricsQuality && protobufQuality >= textQuality {
            return .protobuf
        }
        return openMetricsQuality > 0 && openMetricsQuality >= textQuality ? .openMetrics : .prometheusText
    }

    /// True when `Accept-Encoding` allows gzip (`gzip` or `*` with a non-zero q).
    public static func acceptsGzip(_ acceptEncoding: String?) -> Bool {
        guard let acceptEncoding else { return false }
        for coding in acceptEncoding.split(separator: ",") {
            let parts = coding.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first?.lowercased(), name == "gzip" || name == "*" else { continue }
            let quality =
                parts.dropFirst().compactMap { parameter -> Double? in
                    let pair = parameter.split(separator: "=", maxSplits: 1)
                    return pair.count == 2 && pair[0].lowercased() == "q" ? Double(pair[1]) : nil
                }.first ?? 1
            if quality > 0 { return true }
        }
        return false
    }
}
