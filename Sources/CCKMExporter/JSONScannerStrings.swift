/// A JSON string's content as a range of the document, without its quotes.
struct JSONStringToken {
    /// Offset of the first content byte (just after the opening quote).
    var start: Int
    /// Offset of the closing quote.
    var end: Int
    /// True when the content holds `\` escapes and so is not its own value.
    var hasEscapes: Bool

    var length: Int { end &- start }
}

extension JSONScanner {
    /// Scans the string whose opening quote is at the current position, validating escapes and
    /// rejecting raw control characters, and leaves the position after the closing quote.
    @inline(__always)
    mutating func scanString() throws(JSONScanError) -> JSONStringToken {
        index &+= 1
        let start = index
        var hasEscapes = false
        while index < count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                index &+= 1
                return JSONStringToken(start: start, end: index &- 1, hasEscapes: hasEscapes)
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                try skipEscape()
            } else if byte < 0x20 {
                throw error(expected: "no control character inside a string")
            } else {
                index &+= 1
            }
        }
        throw error(expected: "'\"' closing a string")
    }

    /// Steps over the escape sequence whose backslash is at the current position.
    private mutating func skipEscape() throws(JSONScanError) {
        index &+= 1
        guard index < count else { throw error(expected: "an escape sequence") }
        switch base[index] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index &+= 1
        case UInt8(ascii: "u"):
            index &+= 1
            for _ in 0..<4 {
                guard index < count, JSONStringUnescaping.hexValue(base[index]) != nil else {
                    throw error(expected: "four hex digits after \\u")
                }
                index &+= 1
            }
        default:
            throw error(expected: "an escape sequence")
        }
    }

    /// The token's bytes exactly as they stand in the document (escapes not resolved).
    func rawBytes(_ token: JSONStringToken) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + token.start, count: token.length)
    }

    /// The token's value as a `String`: escapes resolved, invalid UTF-8 and lone surrogates
    /// replaced by U+FFFD.
    func string(_ token: JSONStringToken) -> String {
        if !token.hasEscapes { return String(decoding: rawBytes(token), as: UTF8.self) }
        return String(decoding: JSONStringUnescaping.unescape(rawBytes(token)), as: UTF8.self)
    }

    /// Calls `body` with the token's value as bytes: borrowed from the document when it holds
    /// no escapes (the usual case), otherwise resolved into a temporary buffer.
    @inline(__always)
    func withValueBytes<Result>(
        _ token: JSONStringToken, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        if !token.hasEscapes { return body(rawBytes(token)) }
        return JSONStringUnescaping.unescape(rawBytes(token)).withUnsafeBufferPointer(body)
    }

    /// Whether `bytes` spell `literal` (an ASCII key such as `createdAt`).
    @inline(__always)
    static func bytes(_ bytes: UnsafeBufferPointer<UInt8>, equal literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for offset in 0..<bytes.count where bytes[offset] != expected[offset] { return false }
        return true
    }
}
