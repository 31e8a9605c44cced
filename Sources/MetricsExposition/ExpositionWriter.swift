import JobMetrics

/// The three exposition formats `/metrics` serves.
public enum ExpositionFormat: Sendable, CaseIterable {
    /// Prometheus text format 0.0.4.
    case prometheusText
    /// OpenMetrics 1.0.0 text: counter families named without `_total`, exemplars, ends with
    /// `# EOF`.
    case openMetrics
    /// Prometheus protobuf: delimited `io.prometheus.client.MetricFamily` messages, the only
    /// format with native histograms (see ``ProtobufExposition``).
    case protobuf

    /// The `Content-Type` header of a response in this format.
    public var contentType: String {
        switch self {
        case .prometheusText: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        case .protobuf:
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
        }
    }
}

/// Renders metrics to the bytes of an exposition format, the way client_golang writes them:
/// families sorted by name, series sorted by label values (label names sorted, a histogram's
/// `le` last), byte-stable for equal input. OpenMetrics and protobuf also carry each counter's
/// and histogram's start (`_created`, `created_timestamp`: ``MetricsSnapshot/seriesCreated``,
/// the process start for `process_cpu_seconds_total`) and the unit of `*_seconds` families. Label values and HELP texts are escaped with
/// ``LabelEscaping``; numbers are spelled as ``ExpositionNumbers`` describes.
///
/// A family without series is left out entirely, HELP and TYPE included, as client_golang's
/// registry does (e.g. `cckm_sync_oldest_running_job_start_timestamp_seconds` while no job
/// runs, `cckm_last_poll_success_timestamp_seconds` before the first success).
///
/// Rendering happens once per poll, not per scrape: the server keeps the snapshot's bytes and,
/// per scrape, appends the rendered ``ProcessMetrics`` and, for OpenMetrics, ``openMetricsEOF``.
public enum ExpositionWriter {
    /// Every `cckm_*` family of `snapshot`. No trailing `# EOF`.
    public static func render(_ snapshot: MetricsSnapshot, format: ExpositionFormat) -> [UInt8] {
        var bytes: [UInt8] = []
        render(snapshot, format: format, into: &bytes)
        return bytes
    }

    /// Appends every `cckm_*` family of `snapshot` to `bytes`.
    public static func render(
        _ snapshot: MetricsSnapshot, format: ExpositionFormat, into bytes: inout [UInt8]
    ) {
        bytes.reserveCapacity(bytes.count + estimatedSeriesCount(snapshot) * bytesPerSeries)
        render(snapshot, families: MetricCatalogue.cckmFamilies, format: format, into: &bytes)
    }

    static func render(
        _ snapshot: MetricsSnapshot, families: [MetricDescriptor], format: ExpositionFormat,
        into bytes: inout [UInt8]
    ) {
        if format == .protobuf { return renderProtobuf(snapshot, families: families, into: &bytes) }
        let encoder = ExpositionEncoder(format: format)
        let created = snapshot.seriesCreated
        for family in families {
            if family.type == .histogram {
                encoder.write(
                    family, histograms: histogramSeries(family, snapshot), created: created, into: &bytes)
            } else {
                encoder.write(family, series: scalarSeries(family, snapshot), created: created, into: &bytes)
            }
        }
    }

    /// The `process_*` families.
    public static func render(_ process: ProcessMetrics, format: ExpositionFormat) -> [UInt8] {
        let families = MetricCatalogue.processFamilies.map { family in
            (family, process.value(of: family).map { [Series(labelValues: [], value: $0)] } ?? [])
        }
        // The CPU time counts from the process's start.
        let created = process.startTimeSeconds
        if format == .protobuf {
            var wire = ProtobufWire(reservingCapacity: families.count * bytesPerSeries)
            for (family, series) in families {
                ProtobufExposition.write(family, series: series, created: created, into: &wire)
            }
            return wire.bytes
        }
        let encoder = ExpositionEncoder(format: format)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(families.count * bytesPerSeries * 2)
        for (family, series) in families {
            encoder.write(family, series: series, created: created, into: &bytes)
        }
        return bytes
    }

    private static func renderProtobuf(
        _ snapshot: MetricsSnapshot, families: [MetricDescriptor], into bytes: inout [UInt8]
    ) {
        var wire = ProtobufWire()
        swap(&wire.bytes, &bytes)  // append in place, no copy
        defer { swap(&wire.bytes, &bytes) }
        let created = snapshot.seriesCreated
        for family in families {
            if family.type == .histogram {
                ProtobufExposition.write(
                    family, histograms: histogramSeries(family, snapshot), created: created, into: &wire)
            } else {
                ProtobufExposition.write(
                    family, series: scalarSeries(family, snapshot), created: created, into: &wire)
            }
        }
    }

    /// `# EOF\n`: OpenMetrics output ends with it, after every family.
    public static let openMetricsEOF: [UInt8] = Array("# EOF\n".utf8)

    /// A generous average line length, so one reservation usually suffices.
    static let bytesPerSeries = 120

    static func estimatedSeriesCount(_ snapshot: MetricsSnapshot) -> Int {
        let perListing = snapshot.listings.reduce(0) { total, listing in
            total + listing.jobsByStatus.count * 4 + listing.finished.count * 16
                + listing.regionsInProgress.count + 8
        }
        return perListing + snapshot.health.count * 10 + snapshot.apiRequests.count + 1
    }
}

/// One sample value: a count (written as an integer, or in OpenMetrics as `3.0` for counter and
/// gauge samples) or a measurement in seconds.
enum SampleValue: Equatable {
    case count(UInt64)
    case measurement(Double)
}

/// One series of a counter or gauge: label values in the family's label name order.
struct Series {
    var labelValues: [String]
    var value: SampleValue
    /// The newest job that moved a counter (written with value 1).
    var exemplar: JobExemplar? = nil
    /// When this series began counting, when not when its family did.
    var created: Double? = nil
}

/// One series of a histogram family.
struct HistogramSeries {
    var labelValues: [String]
    var histogram: DurationHistogram
    /// The newest observed job, on the bucket its duration falls in.
    var exemplar: JobExemplar?
    /// When this series began counting, when not when its family did.
    var created: Double? = nil
}

/// Byte-wise order of label value lists, the order client_golang sorts series in.
func labelValuesPrecede(_ a: [String], _ b: [String]) -> Bool {
    for (left, right) in zip(a, b) where !left.utf8.elementsEqual(right.utf8) {
        return left.precedesInBytes(right)
    }
    return a.count < b.count
}
