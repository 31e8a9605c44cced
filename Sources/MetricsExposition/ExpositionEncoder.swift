import JobMetrics

/// Writes families and samples of one format into a caller-owned byte buffer.
struct ExpositionEncoder {
    let format: ExpositionFormat

    /// HELP, TYPE and the samples of a counter or gauge family; nothing when `series` is empty.
    /// In OpenMetrics a counter's series each get a `_created` sample of `created`, if given.
    func write(
        _ family: MetricDescriptor, series: [Series], created: Double? = nil, into bytes: inout [UInt8]
    ) {
        guard !series.isEmpty else { return }
        writeHeader(family, into: &bytes)
        let writesCreated = family.type == .counter && format == .openMetrics
        for one in series.sorted(by: { labelValuesPrecede($0.labelValues, $1.labelValues) }) {
            writeSampleStart(family.name, family.labelNames, one.labelValues, into: &bytes)
            writeValue(one.value, countAsFloat: true, exemplar: one.exemplar, exemplarValue: 1, into: &bytes)
            if writesCreated, let created = one.created ?? created {
                writeSampleStart(
                    family.openMetricsName + "_created", family.labelNames, one.labelValues, into: &bytes)
                writeValue(.measurement(created), countAsFloat: false, into: &bytes)
            }
        }
    }

    /// HELP, TYPE and the `_bucket`, `_sum`, `_count` samples of a histogram family, and in
    /// OpenMetrics `_created` when `created` is given.
    func write(
        _ family: MetricDescriptor, histograms: [HistogramSeries], created: Double? = nil,
        into bytes: inout [UInt8]
    ) {
        guard !histograms.isEmpty else { return }
        writeHeader(family, into: &bytes)
        let bounds = format == .openMetrics ? Self.openMetricsBounds : Self.textBounds
        let (bucketName, sumName, countName) = (
            family.name + "_bucket", family.name + "_sum", family.name + "_count"
        )
        let writesCreated = format == .openMetrics
        for one in histograms.sorted(by: { labelValuesPrecede($0.labelValues, $1.labelValues) }) {
            let cumulative = one.histogram.cumulativeCounts + [one.histogram.count]
            let exemplarBucket = one.exemplar.map { DurationHistogram.bucketIndex(of: $0.duration) }
            for (index, (bound, count)) in zip(bounds, cumulative).enumerated() {
                writeSampleStart(
                    bucketName, family.labelNames, one.labelValues, le: bound, into: &bytes)
                let exemplar = index == exemplarBucket ? one.exemplar : nil
                writeValue(
                    .count(count), countAsFloat: false, exemplar: exemplar, exemplarValue: exemplar?.duration,
                    into: &bytes)
            }
            writeSampleStart(sumName, family.labelNames, one.labelValues, into: &bytes)
            writeValue(.measurement(one.histogram.sum), countAsFloat: false, into: &bytes)
            writeSampleStart(countName, family.labelNames, one.labelValues, into: &bytes)
            writeValue(.count(one.histogram.count), countAsFloat: false, into: &bytes)
            if writesCreated, let created = one.created ?? created {
                writeSampleStart(family.name + "_created", family.labelNames, one.labelValues, into: &bytes)
                writeValue(.measurement(created), countAsFloat: false, into: &bytes)
            }
        }
    }

    /// `le` values: client_golang's `%g` in text 0.0.4 (`1`, `86400`), canonical floats in
    /// OpenMetrics (`1.0`, `86400.0`).
    private static let textBounds = leValues(.prometheusText)
    private static let openMetricsBounds = leValues(.openMetrics)

    private static func leValues(_ format: ExpositionFormat) -> [String] {
        DurationHistogram.bucketUpperBounds.map { bound in
            var bytes: [UInt8] = []
            ExpositionNumbers.append(bound, format: format, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        } + ["+Inf"]
    }

    private func writeHeader(_ family: MetricDescriptor, into bytes: inout [UInt8]) {
        let name = format == .openMetrics ? family.openMetricsName : family.name
        bytes.append(contentsOf: "# HELP ".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: " "))
        LabelEscaping.appendHelp(family.help, format: format, to: &bytes)
        bytes.append(contentsOf: "\n# TYPE ".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: family.type.rawValue.utf8)
        bytes.append(UInt8(ascii: "\n"))
        if format == .openMetrics, let unit = family.unit {
            bytes.append(contentsOf: "# UNIT ".utf8)
            bytes.append(contentsOf: name.utf8)
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: unit.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
    }

    /// `name{a="x",b="y"} ` (no braces without labels), ready for the value.
    private func writeSampleStart(
        _ name: String, _ labelNames: [String], _ labelValues: [String], le: String? = nil,
        into bytes: inout [UInt8]
    ) {
        bytes.append(contentsOf: name.utf8)
        if !labelNames.isEmpty || le != nil {
            var separator: UInt8 = UInt8(ascii: "{")
            for (labelName, value) in zip(labelNames, labelValues) {
                writeLabel(labelName, value, after: separator, into: &bytes)
                separator = UInt8(ascii: ",")
            }
            if let le { writeLabel("le", le, after: separator, into: &bytes) }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
    }

    private func writeLabel(
        _ name: String, _ value: String, after separator: UInt8, into bytes: inout [UInt8]
    ) {
        bytes.append(separator)
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: "=\"".utf8)
        LabelEscaping.appendLabelValue(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `countAsFloat`: counter and gauge values are floats in OpenMetrics (`3.0`, as
    /// client_golang writes them); bucket counts and `_count` stay integers. An exemplar is
    /// written in OpenMetrics only, when its id fits the length limit:
    /// ` # {sync_job_id="…"} value timestamp`.
    private func writeValue(
        _ value: SampleValue, countAsFloat: Bool, exemplar: JobExemplar? = nil, exemplarValue: Double? = nil,
        into bytes: inout [UInt8]
    ) {
        switch value {
        case .count(let count):
            ExpositionNumbers.append(count, to: &bytes)
            if countAsFloat && format == .openMetrics { bytes.append(contentsOf: ".0".utf8) }
        case .measurement(let measurement): ExpositionNumbers.append(measurement, format: format, to: &bytes)
        }
        if format == .openMetrics, let exemplar, let exemplarValue, exemplar.isWritable {
            bytes.append(contentsOf: " # {".utf8)
            bytes.append(contentsOf: JobExemplar.labelName.utf8)
            bytes.append(contentsOf: "=\"".utf8)
            LabelEscaping.appendLabelValue(exemplar.jobID, to: &bytes)
            bytes.append(contentsOf: "\"} ".utf8)
            ExpositionNumbers.append(exemplarValue, format: format, to: &bytes)
            bytes.append(UInt8(ascii: " "))
            ExpositionNumbers.append(exemplar.completedAt, format: format, to: &bytes)
        }
        bytes.append(UInt8(ascii: "\n"))
    }
}
