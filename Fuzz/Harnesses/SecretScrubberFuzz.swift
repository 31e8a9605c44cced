import TextSafety

/// libFuzzer entry: the first byte says how long the secret is (1–32 bytes), the secret
/// follows, the rest is text a CM sent. Scrubbing must not crash, and what it returns must
/// show no piece of the secret (or be the marker alone, when the secret is made of its letters).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSecretScrubber(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let length = min(Int(bytes[0] % 32) + 1, bytes.count - 1)
    let secret = String(decoding: bytes[1...length], as: UTF8.self)
    let text = String(decoding: bytes[(length + 1)...], as: UTF8.self)
    let scrubber = SecretScrubber(secrets: [secret])
    let out = scrubber.scrub(text)
    precondition(out == SecretScrubber.marker || !scrubber.reveals(out), "a piece of the secret survived")
    _ = VisibleText.escaped(text)
    return 0
}
