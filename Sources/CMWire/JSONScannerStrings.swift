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
        while true {
            skipPlainStringBytes()
            guard index < count else { throw error(expected: "'\"' closing a string") }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                index &+= 1
                return JSONStringToken(start: start, end: index &- 1, hasEscapes: hasEscapes)
            }
            guard byte == UInt8(ascii: "\\") else {
                // skipPlainStringBytes stops at nothing else than `"`, `\` or a control byte.
                throw error(expected: "no control character inside a string")
            }
            hasEscapes = true
            try skipEscape()
        }
    }

    /// Advances to the next `"`, `\` or control byte, eight bytes at a time (SWAR): most of a
    /// listing's bytes are plain string content such as `uri` and `account`.
    @inline(__always)
    private mutating func skipPlainStringBytes() {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        while count &- index >= 8 {
            let word = UInt64(
                littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            // A byte b is flagged when b - k borrows into its high bit while b's own is clear:
            // exact for the lowest flagged byte, which is all that is used.
            let special =
                ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash
                    | (word &- ones &* 0x20) & ~word)
                & highBits
            if special != 0 {
                index &+= special.trailingZeroBitCount >> 3
                return
            }
            index &+= 8
        }
        while index < count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return }
            index &+= 1
        }
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
