import JobMetrics

extension ExpositionWriter {
    /// The families of ``ServerMetrics``.
    public static func render(_ server: ServerMetrics, format: ExpositionFormat) -> [UInt8] {
        let encoder = ExpositionEncoder(format: format)
        var bytes: [UInt8] = []
        var wire = ProtobufWire()
        for family in MetricCatalogue.serverFamilies {
            let series = server.value(of: family).map { [Series(labelValues: [], value: $0)] } ?? []
            if format == .protobuf {
                ProtobufExposition.write(family, series: series, created: server.created, into: &wire)
            } else {
                encoder.write(family, series: series, created: server.created, into: &bytes)
            }
        }
        return format == .protobuf ? wire.bytes : bytes
    }

    /// Every `cckm_*` family of `snapshot` (as ``render(_:format:)-(MetricsSnapshot,_)``), and
    /// the offset at which the ``ServerMetrics`` families belong: inserted there, every family
    /// stays sorted by name.
    public static func renderAroundServerFamilies(_ snapshot: MetricsSnapshot, format: ExpositionFormat)
        -> (bytes: [UInt8], serverOffset: Int)
    {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(estimatedSeriesCount(snapshot) * bytesPerSeries)
        var offset: Int?
        let first = MetricCatalogue.serverFamilies[0].name
        for family in MetricCatalogue.cckmFamilies {
            if offset == nil && first.utf8.lexicographicallyPrecedes(family.name.utf8) {
                offset = bytes.count
            }
            render(snapshot, families: [family], format: format, into: &bytes)
        }
        return (bytes, offset ?? bytes.count)
    }
}
