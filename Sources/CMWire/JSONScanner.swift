/// Where a document stopped being the JSON that was expected, and what was expected there.
///
/// Cheap to create (no strings): ``JobDecodingError`` turns it into a message only when thrown
/// out of the decoder.
struct JSONScanError: Error {
    /// Byte offset from the start of the document.
    var offset: Int
    /// What the scanner wanted at `offset`, e.g. `"':' after an object key"`.
    var expected: StaticString
    /// The byte found at `offset`, or nil at the end of the document.
    var found: UInt8?
}

/// A single-pass, byte-level JSON reader over borrowed memory (RFC 8259, strict).
///
/// It never materialises what it skips: strings are ranges into the document, containers are
/// walked and validated without building anything. Nesting is limited to ``maximumDepth`` so
/// hostile input cannot exhaust the stack. Every read is bounds-checked against `count`, so no
/// input can make it trap. The caller keeps the memory alive while the scanner is in use.
struct JSONScanner {
    /// Deeper documents are refused: CipherTrust Manager's jobs nest four levels.
    static let maximumDepth = 64

    let base: UnsafePointer<UInt8>
    let count: Int
    /// Offset of the next byte to read.
    var index: Int = 0

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    /// An error at the current position.
    func error(expected: StaticString) -> JSONScanError {
        JSONScanError(offset: index, expected: expected, found: index < count ? base[index] : nil)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < count {
            let byte = base[index]
            // Everything above space is significant; below it only tab, LF and CR are allowed.
            guard byte <= 0x20, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else {
                return
            }
            index &+= 1
        }
    }

    /// The next significant byte, not consumed; throws at the end of the document.
    @inline(__always)
    mutating func peekValue() throws(JSONScanError) -> UInt8 {
        skipWhitespace()
        guard index < count else { throw error(expected: "a value") }
        return base[index]
    }

    /// Succeeds only when nothing but whitespace is left.
    mutating func expectEnd() throws(JSONScanError) {
        skipWhitespace()
        guard index == count else { throw error(expected: "the end of the document") }
    }

    // MARK: Containers

    /// Consumes the `{` at the current position. True when a member follows, false after `{}`.
    mutating func enterObject(depth: Int) throws(JSONScanError) -> Bool {
        guard depth <= Self.maximumDepth else {
            throw error(expected: "at most 64 levels of nesting")
        }
        index &+= 1
        skipWhitespace()
        guard index < count else { throw error(expected: "'\"' or '}' in an object") }
        if base[index] == UInt8(ascii: "}") {
            index &+= 1
            return false
        }
        return true
    }

    /// Reads `"key":` and leaves the position at the value.
    @inline(__always)
    mutating func readKey() throws(JSONScanError) -> JSONStringToken {
        skipWhitespace()
        guard index < count, base[index] == UInt8(ascii: "\"") else {
            throw error(expected: "'\"' starting an object key")
        }
        let key = try scanString()
        skipWhitespace()
        guard index < count, base[index] == UInt8(ascii: ":") else {
            throw error(expected: "':' after an object key")
        }
        index &+= 1
        return key
    }

    /// After a member's value: consumes `,` (true: another member follows) or `}` (false).
    @inline(__always)
    mutating func nextMember() throws(JSONScanError) -> Bool {
        try nextItem(closing: UInt8(ascii: "}"), expected: "',' or '}' after an object member")
    }

    /// Consumes the `[` at the current position. True when an element follows, false after `[]`.
    mutating func enterArray(depth: Int) throws(JSONScanError) -> Bool {
        guard depth <= Self.maximumDepth else {
            throw error(expected: "at most 64 levels of nesting")
        }
        index &+= 1
        skipWhitespace()
        guard index < count else { throw error(expected: "a value or ']' in an array") }
        if base[index] == UInt8(ascii: "]") {
            index &+= 1
            return false
        }
        return true
    }

    /// After an array element: consumes `,` (true: another element follows) or `]` (false).
    @inline(__always)
    mutating func nextElement() throws(JSONScanError) -> Bool {
        try nextItem(closing: UInt8(ascii: "]"), expected: "',' or ']' after an array element")
    }

    @inline(__always)
    private mutating func nextItem(closing: UInt8, expected: StaticString) throws(JSONScanError)
        -> Bool
    {
        skipWhitespace()
        guard index < count else { throw error(expected: expected) }
        let byte = base[index]
        if byte == UInt8(ascii: ",") {
            index &+= 1
            return true
        }
        guard byte == closing else { throw error(expected: expected) }
        index &+= 1
        return false
    }

    // MARK: Skipping

    /// Validates and steps over one value of any type. `depth` is the value's own nesting level
    /// should it be a container.
    mutating func skipValue(depth: Int) throws(JSONScanError) {
        switch try peekValue() {
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "{"): try skipObject(depth: depth)
        case UInt8(ascii: "["): try skipArray(depth: depth)
        case UInt8(ascii: "t"): try consumeLiteral("true")
        case UInt8(ascii: "f"): try consumeLiteral("false")
        case UInt8(ascii: "n"): try consumeLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try scanNumber()
        default: throw error(expected: "a value")
        }
    }

    private mutating func skipObject(depth: Int) throws(JSONScanError) {
        guard try enterObject(depth: depth) else { return }
        repeat {
            _ = try readKey()
            try skipValue(depth: depth &+ 1)
        } while try nextMember()
    }

    private mutating func skipArray(depth: Int) throws(JSONScanError) {
        guard try enterArray(depth: depth) else { return }
        repeat {
            try skipValue(depth: depth &+ 1)
        } while try nextElement()
    }

    /// Consumes `literal` (`true`, `false`, `null`) at the current position.
    mutating func consumeLiteral(_ literal: StaticString) throws(JSONScanError) {
        let length = literal.utf8CodeUnitCount
        guard count &- index >= length else { throw error(expected: literal) }
        let expected = literal.utf8Start
        for offset in 0..<length where base[index &+ offset] != expected[offset] {
            index &+= offset
            throw error(expected: literal)
        }
        index &+= length
    }
}
