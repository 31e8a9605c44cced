extension ExpositionWriter {
    /// A client-certificate family (`cckm_cm_client_certificate_*`), one series per CM sorted by
    /// name: none when no CM has a client certificate, so such an exporter's output is unchanged.
    static func clientCertificateSeries(_ expiry: [String: Double]) -> [Series] {
        expiry.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map {
            Series(labelValues: [$0.key], value: .measurement($0.value))
        }
    }
}
