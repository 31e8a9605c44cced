import CMWire

/// libFuzzer entry: any bytes as an RFC 3339 timestamp. A parsed value must be finite, and
/// the byte and String entry points must agree on valid UTF-8.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRFC3339(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let fromBytes = RFC3339.parse(bytes)
    if let fromBytes { precondition(fromBytes.isFinite, "non-finite timestamp") }
    if let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) {
        let fromText = RFC3339.parse(text)
        precondition(fromText == fromBytes, "String and byte parsers disagree")
    }
    return 0
}
