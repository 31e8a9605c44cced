import Foundation

/// The test's own, independent judgement of "does this text show a piece of that secret":
/// every 5-character piece of the secret, looked for in the text as it is and in the text
/// decoded the ways a server or proxy encodes what it echoes (JSON string escapes, percent
/// encoding, base64 of each word).
enum SecretLeaks {
    /// The shortest piece of a secret that counts as a leak.
    static let fragmentLength = 5

    /// The pieces of `secret` (of ``fragmentLength`` characters) that `text` shows in any form.
    static func fragments(of secret: String, in text: String) -> [String] {
        let characters = Array(secret)
        guard characters.count >= fragmentLength else {
            return readings(of: text).contains { $0.contains(secret) } ? [secret] : []
        }
        let pieces = (0...(characters.count - fragmentLength)).map {
            String(characters[$0..<($0 + fragmentLength)])
        }
        let readings = readings(of: text)
        return pieces.filter { piece in readings.contains { $0.contains(piece) } }
    }

    /// `text`, and `text` decoded once and twice by every decoding.
    static func readings(of text: String) -> [String] {
        var all = [text]
        for _ in 0..<2 {
            let next = all.flatMap { [jsonUnescaped($0), percentDecoded($0), base64Decoded($0)] }
            all += next.filter { !all.contains($0) }
        }
        return all
    }

    private static func jsonUnescaped(_ text: String) -> String {
        var out = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "\\", let next = scalars.first else {
                out.unicodeScalars.append(scalar)
                continue
            }
            scalars.removeFirst()
            switch next {
            case "n": out += "\n"
            case "t": out += "\t"
            case "r": out += "\r"
            case "b": out += "\u{08}"
            case "f": out += "\u{0C}"
            case "u":
                let hex = String(String.UnicodeScalarView(scalars.prefix(4)))
                if hex.count == 4, let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) {
                    out.unicodeScalars.append(decoded)
                    scalars.removeFirst(4)
                } else {
                    out += "\\u"
                }
            default: out.unicodeScalars.append(next)
            }
        }
        return out
    }

    private static func percentDecoded(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
    }

    /// Each run of base64 characters decoded at each of its four alignments.
    private static func base64Decoded(_ text: String) -> String {
        let alphabet = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_")
        let runs = text.unicodeScalars.split { !alphabet.contains($0) }.map {
            String(String.UnicodeScalarView($0))
        }
        var out: [String] = []
        for run in runs where run.count >= 8 {
            for shift in 0..<4 {
                var chars = String(run.dropFirst(shift))
                    .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                chars = String(chars.prefix(chars.count / 4 * 4))
                if let data = Data(base64Encoded: chars) {
                    out.append(String(decoding: data, as: UTF8.self))
                }
            }
        }
        return out.joined(separator: "\u{0}")
    }
}
