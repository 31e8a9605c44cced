/// A text as one decoding reads it (JSON string escapes, percent-encoding, HTML entities,
/// base64), each decoded byte remembering which bytes of the original it came from: a secret
/// found in the decoded text is cut out of the original.
struct DecodedText {
    /// Decoded runs; a match never spans two of them.
    var segments: [Segment]

    /// One run of decoded bytes and their origins.
    struct Segment {
        var bytes: [UInt8] = []
        /// `origins[i]`: the bytes of the original text that `bytes[i]` came from.
        var origins: [Range<Int>] = []

        mutating func append(_ byte: UInt8, from origin: Range<Int>) {
            bytes.append(byte)
            origins.append(origin)
        }

        /// The original bytes behind `bytes[start..<end]`.
        func origin(_ start: Int, _ end: Int) -> Range<Int> {
            origins[start].lowerBound..<origins[end - 1].upperBound
        }
    }

    /// The original text, undecoded.
    init(original bytes: [UInt8]) {
        segments = [Segment(bytes: bytes, origins: bytes.indices.map { $0..<($0 + 1) })]
    }

    init(segments: [Segment]) { self.segments = segments }
}

/// The ways a server or a proxy encodes text it echoes. Each returns nil when the text holds
/// nothing it would decode, so plain text costs one pass per decoding.
enum TextDecoding: CaseIterable {
    /// `\"`, `\\`, `\/`, `\t`, `\n`, `\u0009`, surrogate pairs.
    case jsonEscapes
    /// `%22`, `%5c` (either case).
    case percent
    /// Percent-encoding with `+` for a space (form bodies, query strings).
    case formEncoding
    /// `&quot;`, `&amp;`, `&#39;`, `&#x5c;` (an HTML error page of a proxy).
    case htmlEntities
    /// Runs of base64 or base64url characters (an `Authorization: Basic` header), decoded at
    /// each of the four alignments.
    case base64

    /// The decodings of escape sequences (all but base64).
    static let escapes: [TextDecoding] = [.jsonEscapes, .percent, .formEncoding, .htmlEntities]

    func decode(_ text: DecodedText) -> DecodedText? {
        var changed = false
        var segments: [DecodedText.Segment] = []
        for segment in text.segments {
            if let decoded = decode(segment) {
                segments += decoded
                changed = true
            } else if self != .base64 {
                segments.append(segment)
            }
        }
        return changed ? DecodedText(segments: segments) : nil
    }

    private func decode(_ segment: DecodedText.Segment) -> [DecodedText.Segment]? {
        switch self {
        case .jsonEscapes:
            return EscapeDecoder.decode(segment, trigger: UInt8(ascii: "\\"), EscapeDecoder.jsonEscape).map {
                [$0]
            }
        case .percent:
            return EscapeDecoder.decode(segment, trigger: UInt8(ascii: "%"), EscapeDecoder.percentEscape).map
            { [$0] }
        case .formEncoding:
            guard segment.bytes.contains(UInt8(ascii: "+")) else { return nil }
            var plus = segment
            plus.bytes = plus.bytes.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }
            return [
                EscapeDecoder.decode(plus, trigger: UInt8(ascii: "%"), EscapeDecoder.percentEscape) ?? plus
            ]
        case .htmlEntities:
            return EscapeDecoder.decode(segment, trigger: UInt8(ascii: "&"), EscapeDecoder.htmlEntity).map {
                [$0]
            }
        case .base64:
            let runs = Base64Runs.decode(segment)
            return runs.isEmpty ? nil : runs
        }
    }
}
