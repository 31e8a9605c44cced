import CMWire

/// libFuzzer entry: any bytes as a CipherTrust Manager listing page. The decoder must
/// return a page or a ``JobDecodingError``, never crash, hang or read out of bounds
/// (AddressSanitizer watches). Every decoded timestamp must be finite.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJobPage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if let page = try? JobPageDecoder.decodePage(bytes) {
        for job in page.jobs {
            precondition(job.createdAt.isFinite, "non-finite createdAt")
        }
    }
    return 0
}
