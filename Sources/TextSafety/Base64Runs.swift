/// Base64 hidden in text: each run of at least ``minimumLength`` base64 or base64url
/// characters, decoded at each of its four alignments (an echo may start mid-group). Every
/// decoded byte's origin is the whole run, so a secret found in it removes the run.
enum Base64Runs {
    static let minimumLength = 8

    static func decode(_ segment: DecodedText.Segment) -> [DecodedText.Segment] {
        var runs: [DecodedText.Segment] = []
        var start: Int?
        for index in 0...segment.bytes.count {
            let inRun = index < segment.bytes.count && value(segment.bytes[index]) != nil
            if inRun {
                if start == nil { start = index }
            } else if let first = start {
                if index - first >= minimumLength { runs += decodeRun(segment, first..<index) }
                start = nil
            }
        }
        return runs
    }

    private static func decodeRun(_ segment: DecodedText.Segment, _ run: Range<Int>) -> [DecodedText.Segment]
    {
        let origin = segment.origin(run.lowerBound, run.upperBound)
        return (0..<4).map { shift in
            var out = DecodedText.Segment()
            var index = run.lowerBound + shift
            while index + 4 <= run.upperBound {
                let group = (0..<4).map { value(segment.bytes[index + $0]) ?? 0 }
                let bits = group[0] << 18 | group[1] << 12 | group[2] << 6 | group[3]
                for byte in [UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF)] {
                    out.append(byte, from: origin)
                }
                index += 4
            }
            // A last group of two or three characters still holds one or two bytes.
            let left = run.upperBound - index
            if left >= 2 {
                let group = (0..<left).map { value(segment.bytes[index + $0]) ?? 0 } + [0, 0]
                let bits = group[0] << 18 | group[1] << 12 | group[2] << 6
                out.append(UInt8(bits >> 16 & 0xFF), from: origin)
                if left == 3 { out.append(UInt8(bits >> 8 & 0xFF), from: origin) }
            }
            return out
        }
    }

    /// The 6-bit value of a base64 (`+/`) or base64url (`-_`) character.
    private static func value(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(byte - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
