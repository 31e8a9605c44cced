/// A JSON number's text as a range of the document.
struct JSONNumberToken {
    var start: Int
    var end: Int
    /// True when it has neither a fraction nor an exponent.
    var isInteger: Bool
}

extension JSONScanner {
    /// Scans `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` at the current position.
    mutating func scanNumber() throws(JSONScanError) -> JSONNumberToken {
        let start = index
        if index < count, base[index] == UInt8(ascii: "-") { index &+= 1 }
        guard index < count, isDigit(base[index]) else { throw error(expected: "a digit") }
        if base[index] == UInt8(ascii: "0") {
            index &+= 1
        } else {
            skipDigits()
        }
        var isInteger = true
        if index < count, base[index] == UInt8(ascii: ".") {
            isInteger = false
            index &+= 1
            try requireDigits()
        }
        if index < count, base[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index &+= 1
            if index < count, base[index] == UInt8(ascii: "+") || base[index] == UInt8(ascii: "-") {
                index &+= 1
            }
            try requireDigits()
        }
        return JSONNumberToken(start: start, end: index, isInteger: isInteger)
    }

    /// The token as an `Int` when it is an integer that fits, else nil.
    func integer(_ token: JSONNumberToken) -> Int? {
        guard token.isInteger else { return nil }
        var position = token.start
        let negative = base[position] == UInt8(ascii: "-")
        if negative { position &+= 1 }
        var value = 0
        while position < token.end {
            let digit = Int(base[position] &- UInt8(ascii: "0"))
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) =
                negative
                ? shifted.subtractingReportingOverflow(digit)
                : shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { return nil }
            value = next
            position &+= 1
        }
        return value
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private mutating func skipDigits() {
        while index < count, isDigit(base[index]) { index &+= 1 }
    }

    private mutating func requireDigits() throws(JSONScanError) {
        guard index < count, isDigit(base[index]) else { throw error(expected: "a digit") }
        skipDigits()
    }
}
