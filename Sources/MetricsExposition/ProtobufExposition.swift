import JobMetrics

/// Renders metric families as the Prometheus protobuf exposition: a stream of
/// `io.prometheus.client.MetricFamily` messages, each preceded by its length as a varint
/// (`encoding=delimited`). Field numbers are those of client_model's `metrics.proto`.
///
/// Families and series come in the same order as in the text formats. The duration
/// histogram carries its classic buckets (finite bounds; `+Inf` is the count) and its native
/// buckets (``NativeBuckets``) in the same message, as client_golang writes them; exemplars
/// (``JobExemplar``) ride on the counter, on the classic bucket the duration falls in, and in
/// the native histogram's own exemplar list. A counter's and a histogram's start, when given,
/// is its `created_timestamp` (Counter field 3, Histogram field 15, as in client_model's
/// metrics.proto since v0.5), and a `*_seconds` family names its `unit` (MetricFamily field 5).
enum ProtobufExposition {
    /// `MetricFamily.type` values.
    private static func typeNumber(_ type: MetricType) -> UInt64 {
        switch type {
        case .counter: 0
        case .gauge: 1
        case .histogram: 4
        }
    }

    /// One family (nothing when it has no series).
    static func write(
        _ family: MetricDescriptor, series: [Series], created: Double? = nil, into wire: inout ProtobufWire
    ) {
        guard !series.isEmpty else { return }
        writeFamily(family, into: &wire) { wire in
            for one in series.sorted(by: { labelValuesPrecede($0.labelValues, $1.labelValues) }) {
                wire.appendMessage(4) { metric in
                    writeLabels(family.labelNames, one.labelValues, into: &metric)
                    let value: Double =
                        switch one.value {
                        case .count(let count): Double(count)
                        case .measurement(let measurement): measurement
                        }
                    metric.appendMessage(family.type == .counter ? 3 : 2) { sample in
                        sample.appendDouble(1, value)
                        if family.type == .counter, let exemplar = one.exemplar, exemplar.isWritable {
                            sample.appendMessage(2) { writeExemplar(exemplar, value: 1, into: &$0) }
                        }
                        if family.type == .counter, let created = one.created ?? created {
                            writeTimestamp(created, field: 3, into: &sample)
                        }
                    }
                }
            }
        }
    }

    /// One histogram family (nothing when it has no series).
    static func write(
        _ family: MetricDescriptor, histograms: [HistogramSeries], created: Double? = nil,
        into wire: inout ProtobufWire
    ) {
        guard !histograms.isEmpty else { return }
        writeFamily(family, into: &wire) { wire in
            for one in histograms.sorted(by: { labelValuesPrecede($0.labelValues, $1.labelValues) }) {
                wire.appendMessage(4) { metric in
                    writeLabels(family.labelNames, one.labelValues, into: &metric)
                    metric.appendMessage(7) {
                        writeHistogram(one, created: one.created ?? created, into: &$0)
                    }
                }
            }
        }
    }

    private static func writeFamily(
        _ family: MetricDescriptor, into wire: inout ProtobufWire, metrics: (inout ProtobufWire) -> Void
    ) {
        wire.appendDelimited { message in
            message.appendString(1, family.name)
            message.appendString(2, family.help)
            message.appendUInt(3, typeNumber(family.type))
            metrics(&message)
            if let unit = family.unit { message.appendString(5, unit) }
        }
    }

    private static func writeLabels(_ names: [String], _ values: [String], into wire: inout ProtobufWire) {
        for (name, value) in zip(names, values) {
            wire.appendMessage(1) { pair in
                pair.appendString(1, name)
                pair.appendString(2, value)
            }
        }
    }

    private static func writeHistogram(
        _ series: HistogramSeries, created: Double?, into wire: inout ProtobufWire
    ) {
        let histogram = series.histogram
        let exemplar = series.exemplar.flatMap { $0.isWritable ? $0 : nil }
        let exemplarBucket = exemplar.map { DurationHistogram.bucketIndex(of: $0.duration) }
        wire.appendUInt(1, histogram.count)
        wire.appendDouble(2, histogram.sum)
        let bounds = DurationHistogram.bucketUpperBounds
        for (index, (bound, count)) in zip(bounds, histogram.cumulativeCounts).enumerated() {
            wire.appendMessage(3) { bucket in
                bucket.appendUInt(1, count)
                bucket.appendDouble(2, bound)
                if index == exemplarBucket, let exemplar {
                    bucket.appendMessage(3) { writeExemplar(exemplar, value: exemplar.duration, into: &$0) }
                }
            }
        }
        if let created { writeTimestamp(created, field: 15, into: &wire) }
        let native = histogram.native
        wire.appendSInt(5, Int64(native.schema))
        wire.appendDouble(6, NativeBuckets.zeroThreshold)
        wire.appendUInt(7, native.zeroCount)
        let layout = NativeBucketLayout(native.counts)
        for span in layout.spans {
            wire.appendMessage(12) { message in
                message.appendSInt(1, Int64(span.offset))
                message.appendUInt(2, UInt64(span.length))
            }
        }
        wire.appendPackedSInt(13, layout.deltas)
        if let exemplar {
            wire.appendMessage(16) { writeExemplar(exemplar, value: exemplar.duration, into: &$0) }
        }
    }

    private static func writeExemplar(_ exemplar: JobExemplar, value: Double, into wire: inout ProtobufWire) {
        wire.appendMessage(1) { pair in
            pair.appendString(1, JobExemplar.labelName)
            pair.appendString(2, exemplar.jobID)
        }
        wire.appendDouble(2, value)
        writeTimestamp(exemplar.completedAt, field: 3, into: &wire)
    }

    /// A `google.protobuf.Timestamp` of `time` (seconds since the epoch) in `field`; nothing
    /// for a time no timestamp can hold (RFC 3339 years end at 9999).
    private static func writeTimestamp(_ time: Double, field: Int, into wire: inout ProtobufWire) {
        let seconds = time.rounded(.down)
        guard seconds.magnitude < 1e15 else { return }
        wire.appendMessage(field) { timestamp in
            timestamp.appendInt(1, Int64(seconds))
            let nanos = Int64(((time - seconds) * 1e9).rounded())
            if nanos > 0 { timestamp.appendInt(2, min(nanos, 999_999_999)) }
        }
    }
}
