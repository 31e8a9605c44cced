/// Counters of the exporter's own HTTP server (``MetricCatalogue/serverFamilies``). They change
/// with every request, not with polls, so a scrape renders them live between the families of
/// the last snapshot (``ExpositionWriter/renderAroundServerFamilies(_:format:)``).
public struct ServerMetrics: Sendable, Equatable {
    /// `cckm_exporter_http_auth_failures_total`.
    public var httpAuthFailures: UInt64
    /// When the server began counting (the exporter's start), seconds since the epoch: the
    /// counters' `_created`; nil writes none.
    public var created: Double?

    public init(httpAuthFailures: UInt64 = 0, created: Double? = nil) {
        self.httpAuthFailures = httpAuthFailures
        self.created = created
    }

    func value(of family: MetricDescriptor) -> SampleValue? {
        switch family {
        case MetricCatalogue.httpAuthFailures: .count(httpAuthFailures)
        default: nil
        }
    }
}
