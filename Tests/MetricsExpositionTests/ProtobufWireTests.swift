import Testing

@testable import MetricsExposition

/// The wire format against the examples of the protobuf encoding documentation.
@Suite struct ProtobufWireTests {
    @Test func varintsZigzagDoublesAndStrings() {
        var wire = ProtobufWire()
        wire.appendUInt(1, 150)
        #expect(wire.bytes == [0x08, 0x96, 0x01])
        wire = ProtobufWire()
        wire.appendString(2, "testing")
        #expect(wire.bytes == [0x12, 0x07] + Array("testing".utf8))
        #expect(
            [0, -1, 1, -2, 2147483647, -2147483648].map(ProtobufWire.zigzag) == [
                0, 1, 2, 3, 4294967294, 4294967295,
            ])
        wire = ProtobufWire()
        wire.appendDouble(1, 1.0)
        #expect(wire.bytes == [0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f])
        wire = ProtobufWire()
        wire.appendInt(1, -1)
        #expect(wire.bytes == [0x08] + Array(repeating: 0xff, count: 9) + [0x01])
    }

    @Test func nestedMessagesAndPackedFieldsArePrefixedWithTheirLength() {
        var wire = ProtobufWire()
        wire.appendMessage(3) { $0.appendUInt(1, 150) }
        #expect(wire.bytes == [0x1a, 0x03, 0x08, 0x96, 0x01])
        wire = ProtobufWire()
        wire.appendPackedSInt(4, [3, 270, -1])
        #expect(wire.bytes == [0x22, 0x04, 0x06, 0x9c, 0x04, 0x01])
        wire = ProtobufWire()
        wire.appendDelimited { $0.bytes += Array(repeating: 7, count: 200) }
        #expect(wire.bytes.prefix(2) == [0xc8, 0x01])
        #expect(wire.bytes.count == 202)
    }
}
