/// A protobuf wire reader written for the tests, independent of the exporter's writer: it
/// splits a message into its fields, so a test can read the exposition back.
struct ProtobufReader {
    enum Value: Equatable {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes([UInt8])
    }

    /// The fields of one message, in order; nil when the bytes are not a well-formed message.
    static func fields(_ bytes: [UInt8]) -> [(field: Int, value: Value)]? {
        var position = 0
        var fields: [(field: Int, value: Value)] = []
        while position < bytes.count {
            guard let tag = varint(bytes, &position) else { return nil }
            let field = Int(tag >> 3)
            switch tag & 7 {
            case 0:
                guard let value = varint(bytes, &position) else { return nil }
                fields.append((field, .varint(value)))
            case 1:
                guard position + 8 <= bytes.count else { return nil }
                let value = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[position + $1]) << (8 * $1) }
                position += 8
                fields.append((field, .fixed64(value)))
            case 2:
                guard let length = varint(bytes, &position), position + Int(length) <= bytes.count else {
                    return nil
                }
                fields.append((field, .bytes(Array(bytes[position..<position + Int(length)]))))
                position += Int(length)
            default:
                return nil
            }
        }
        return fields
    }

    /// The messages of a delimited stream (each preceded by its length as a varint).
    static func delimited(_ bytes: [UInt8]) -> [[UInt8]]? {
        var position = 0
        var messages: [[UInt8]] = []
        while position < bytes.count {
            guard let length = varint(bytes, &position), position + Int(length) <= bytes.count else {
                return nil
            }
            messages.append(Array(bytes[position..<position + Int(length)]))
            position += Int(length)
        }
        return messages
    }

    static func varint(_ bytes: [UInt8], _ position: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.count, shift < 64 {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }

    /// A `google.protobuf.Timestamp` (seconds 1, nanos 2) as seconds since the epoch.
    static func timestamp(_ bytes: [UInt8]) -> Double? {
        guard let fields = fields(bytes) else { return nil }
        var seconds: Int64 = 0
        var nanos: Int64 = 0
        for (field, value) in fields {
            guard case .varint(let number) = value else { return nil }
            if field == 1 {
                seconds = Int64(bitPattern: number)
            } else if field == 2 {
                nanos = Int64(bitPattern: number)
            }
        }
        return Double(seconds) + Double(nanos) / 1e9
    }

    static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }
}

/// One `MetricFamily` read back with ``ProtobufReader``: what the tests compare.
struct DecodedFamily {
    var name = ""
    var help = ""
    var type: UInt64 = 0
    var metrics: [DecodedMetric] = []
    /// `MetricFamily.unit` (field 5), nil when absent.
    var unit: String?

    init?(_ bytes: [UInt8]) {
        guard let fields = ProtobufReader.fields(bytes) else { return nil }
        for (field, value) in fields {
            switch (field, value) {
            case (1, .bytes(let text)): name = String(decoding: text, as: UTF8.self)
            case (2, .bytes(let text)): help = String(decoding: text, as: UTF8.self)
            case (3, .varint(let number)): type = number
            case (5, .bytes(let text)): unit = String(decoding: text, as: UTF8.self)
            case (4, .bytes(let message)):
                guard let metric = DecodedMetric(message) else { return nil }
                metrics.append(metric)
            default: return nil
            }
        }
    }
}

/// One `Metric`: labels, and the value of its gauge or counter, or its histogram.
struct DecodedMetric {
    var labels: [(String, String)] = []
    var value: Double?
    /// `sync_job_id` and value of the counter's exemplar.
    var exemplar: (id: String, value: Double, seconds: Int64)?
    var histogram: DecodedHistogram?
    /// The counter's `created_timestamp` (Counter field 3) in seconds, nil when absent.
    var created: Double?

    init?(_ bytes: [UInt8]) {
        guard let fields = ProtobufReader.fields(bytes) else { return nil }
        for (field, value) in fields {
            guard case .bytes(let message) = value, let inner = ProtobufReader.fields(message) else {
                return nil
            }
            switch field {
            case 1:
                let texts = inner.compactMap {
                    if case .bytes(let b) = $0.value { String(decoding: b, as: UTF8.self) } else { nil }
                }
                guard texts.count == 2 else { return nil }
                labels.append((texts[0], texts[1]))
            case 2, 3:
                for (innerField, innerValue) in inner {
                    if innerField == 1, case .fixed64(let bits) = innerValue {
                        self.value = Double(bitPattern: bits)
                    }
                    if innerField == 2, case .bytes(let exemplarBytes) = innerValue {
                        exemplar = DecodedMetric.exemplar(exemplarBytes)
                    }
                    if field == 3, innerField == 3, case .bytes(let timestamp) = innerValue {
                        created = ProtobufReader.timestamp(timestamp)
                    }
                }
            case 7: histogram = DecodedHistogram(inner)
            default: return nil
            }
        }
    }

    static func exemplar(_ bytes: [UInt8]) -> (id: String, value: Double, seconds: Int64)? {
        guard let fields = ProtobufReader.fields(bytes) else { return nil }
        var id = ""
        var value = 0.0
        var seconds: Int64 = 0
        for (field, content) in fields {
            switch (field, content) {
            case (1, .bytes(let pair)):
                if let parts = ProtobufReader.fields(pair), parts.count == 2,
                    case .bytes(let b) = parts[1].value
                {
                    id = String(decoding: b, as: UTF8.self)
                }
            case (2, .fixed64(let bits)): value = Double(bitPattern: bits)
            case (3, .bytes(let timestamp)):
                if let parts = ProtobufReader.fields(timestamp), case .varint(let s) = parts.first?.value {
                    seconds = Int64(bitPattern: s)
                }
            default: return nil
            }
        }
        return (id, value, seconds)
    }
}

/// A `Histogram` message: classic and native parts.
struct DecodedHistogram {
    var count: UInt64 = 0
    var sum = 0.0
    var buckets: [(upperBound: Double, cumulative: UInt64)] = []
    var bucketExemplars: [Double: String] = [:]
    var schema: Int64 = 0
    var zeroThreshold = 0.0
    var zeroCount: UInt64 = 0
    var spans: [(offset: Int64, length: UInt64)] = []
    var deltas: [Int64] = []
    var exemplarIDs: [String] = []
    /// `created_timestamp` (field 15) in seconds, nil when absent.
    var created: Double?

    init(_ fields: [(field: Int, value: ProtobufReader.Value)]) {
        for (field, value) in fields {
            switch (field, value) {
            case (1, .varint(let number)): count = number
            case (2, .fixed64(let bits)): sum = Double(bitPattern: bits)
            case (3, .bytes(let message)): readBucket(message)
            case (5, .varint(let number)): schema = ProtobufReader.unzigzag(number)
            case (6, .fixed64(let bits)): zeroThreshold = Double(bitPattern: bits)
            case (7, .varint(let number)): zeroCount = number
            case (12, .bytes(let message)):
                var span: (offset: Int64, length: UInt64) = (0, 0)
                for (spanField, spanValue) in ProtobufReader.fields(message) ?? [] {
                    if case .varint(let number) = spanValue {
                        if spanField == 1 {
                            span.offset = ProtobufReader.unzigzag(number)
                        } else {
                            span.length = number
                        }
                    }
                }
                spans.append(span)
            case (13, .bytes(let packed)):
                var position = 0
                while let number = ProtobufReader.varint(packed, &position) {
                    deltas.append(ProtobufReader.unzigzag(number))
                }
            case (16, .bytes(let message)):
                if let exemplar = DecodedMetric.exemplar(message) { exemplarIDs.append(exemplar.id) }
            case (15, .bytes(let timestamp)): created = ProtobufReader.timestamp(timestamp)
            default: break
            }
        }
    }

    private mutating func readBucket(_ message: [UInt8]) {
        var bound = 0.0
        var cumulative: UInt64 = 0
        for (field, value) in ProtobufReader.fields(message) ?? [] {
            switch (field, value) {
            case (1, .varint(let number)): cumulative = number
            case (2, .fixed64(let bits)): bound = Double(bitPattern: bits)
            case (3, .bytes(let exemplar)): bucketExemplars[bound] = DecodedMetric.exemplar(exemplar)?.id
            default: break
            }
        }
        buckets.append((bound, cumulative))
    }

    /// Native bucket counts by index, from spans and deltas.
    var nativeCounts: [Int64: Int64] {
        var counts: [Int64: Int64] = [:]
        var index: Int64 = 0
        var count: Int64 = 0
        var deltaPosition = 0
        for (number, span) in spans.enumerated() {
            index += number == 0 ? span.offset : span.offset + 1
            for step in 0..<span.length {
                if step > 0 { index += 1 }
                count += deltas[deltaPosition]
                deltaPosition += 1
                counts[index] = count
            }
        }
        return counts
    }
}
