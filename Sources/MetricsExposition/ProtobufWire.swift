/// The protobuf wire format, as much of it as the `io.prometheus.client` messages need:
/// varints, zigzag-encoded signed varints, 64-bit doubles, and length-delimited fields
/// (strings, nested messages, packed repeated values). Writes into a caller-owned buffer.
///
/// A nested message is written in place and its length inserted in front of it afterwards,
/// so no temporary buffer is needed; the bytes after the insertion point are one message.
struct ProtobufWire {
    /// The bytes written so far.
    var bytes: [UInt8]

    init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    private enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
    }

    mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private mutating func appendTag(_ field: Int, _ type: WireType) {
        appendVarint(UInt64(field) << 3 | type.rawValue)
    }

    /// `uint64`, `uint32`, `int64` (not negative) and enum fields.
    mutating func appendUInt(_ field: Int, _ value: UInt64) {
        appendTag(field, .varint)
        appendVarint(value)
    }

    /// `int64`/`int32` fields: negative values as ten-byte two's complement, as protobuf does.
    mutating func appendInt(_ field: Int, _ value: Int64) {
        appendUInt(field, UInt64(bitPattern: value))
    }

    /// `sint32`/`sint64` fields: zigzag, so small negative numbers stay short.
    mutating func appendSInt(_ field: Int, _ value: Int64) {
        appendUInt(field, Self.zigzag(value))
    }

    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    mutating func appendDouble(_ field: Int, _ value: Double) {
        appendTag(field, .fixed64)
        var pattern = value.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: pattern))
            pattern >>= 8
        }
    }

    mutating func appendString(_ field: Int, _ value: String) {
        appendTag(field, .lengthDelimited)
        appendVarint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    /// A packed `repeated sint64` field.
    mutating func appendPackedSInt(_ field: Int, _ values: [Int64]) {
        guard !values.isEmpty else { return }
        appendMessage(field) { wire in
            for value in values { wire.appendVarint(Self.zigzag(value)) }
        }
    }

    /// A nested message (or any length-delimited content) written by `body`.
    mutating func appendMessage(_ field: Int, _ body: (inout ProtobufWire) -> Void) {
        appendTag(field, .lengthDelimited)
        appendDelimited(body)
    }

    /// Content written by `body`, preceded by its length as a varint: a field's payload, or
    /// one message of a delimited stream.
    mutating func appendDelimited(_ body: (inout ProtobufWire) -> Void) {
        let start = bytes.count
        body(&self)
        let length = UInt64(bytes.count - start)
        var prefix = ProtobufWire()
        prefix.appendVarint(length)
        bytes.insert(contentsOf: prefix.bytes, at: start)
    }
}
