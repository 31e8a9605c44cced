import Foundation
import Testing

@testable import TextSafety

/// The scrubber's rule: no run of 5 or more bytes of a secret survives, in any encoding a
/// server or proxy uses when it echoes what it was sent.
@Suite("Secret scrubber")
struct SecretScrubberTests {
    static let password = "pa\"ss\\w0\trd!Q"
    static let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtZXRyaWNzIn0.Zk9xQ2sTq3vLw8Yp_"
    let scrubber = SecretScrubber(secrets: [password, jwt, "abc"])

    /// Every 5-byte window of `secret` that `text` still holds as it is.
    func rawWindows(_ secret: String, in text: String) -> [String] {
        let bytes = Array(secret.utf8)
        return (0...(bytes.count - 5)).map { String(decoding: bytes[$0..<($0 + 5)], as: UTF8.self) }
            .filter { text.contains($0) }
    }

    @Test("the whole secret and every piece of 5 or more characters go, anywhere in the text")
    func pieces() {
        for start in 0..<(Self.jwt.count - 5) {
            for length in 5...(Self.jwt.count - start) {
                let piece = String(Self.jwt.dropFirst(start).prefix(length))
                let out = scrubber.scrub("token \(piece) end")
                #expect(rawWindows(Self.jwt, in: out).isEmpty, "\(piece) → \(out)")
                #expect(out.hasPrefix("token ") && out.hasSuffix(" end"))
            }
        }
    }

    @Test("4 characters are left alone; a short secret goes only whole")
    func shortPieces() {
        #expect(scrubber.scrub("eyJh and pa\"s") == "eyJh and pa\"s")
        #expect(scrubber.scrub("xabcx") == "x<redacted>x")
    }

    @Test(
        "escaped and encoded forms go",
        arguments: [
            #"{"password":"pa\"ss\\w0\trd!Q"}"#,
            #"pa\"ss\\w0\u0009rd!Q"#,
            #"\u0070\u0061\u0022\u0073\u0073\u005c\u0077"#,
            #"pa\\\"ss\\\\w0\\trd!Q"#,
            "pa%22ss%5Cw0%09rd%21Q",
            "pa%22ss%5cw0%09rd%21Q",
            "pa&quot;ss&#92;w0&#x9;rd!Q",
            "Authorization: Basic " + Data("metrics:pa\"ss\\w0\trd!Q".utf8).base64EncodedString(),
            "x" + Data("zz:pa\"ss\\w0\trd!Q".utf8).base64EncodedString().dropFirst(3),
            "%257Bpa%2522ss",
        ])
    func encoded(_ text: String) {
        let out = scrubber.scrub(text)
        #expect(!scrubber.reveals(out), "\(text) → \(out)")
        #expect(out.contains(SecretScrubber.marker), "\(text) → \(out)")
    }

    @Test("text without a secret is returned as it was")
    func untouched() {
        let text = "POST /api/v1/auth/tokens: HTTP 400 NCERRBadRequest: \"user locked\" é ü %41 \\n &amp;"
        #expect(scrubber.scrub(text) == text)
        #expect(SecretScrubber(secrets: []).scrub(Self.password) == Self.password)
    }

    @Test("a cut never splits a UTF-8 character")
    func characterBoundaries() {
        let scrubber = SecretScrubber(secrets: ["ééééé-secret"])
        let out = scrubber.scrub("x éééé-secret y")
        #expect(out == "x <redacted> y")
    }

    @Test("a secret made of the marker's letters withholds the whole text")
    func markerLetters() {
        let scrubber = SecretScrubber(secrets: ["<redacted>"])
        #expect(scrubber.scrub("a <redacted> b") == SecretScrubber.marker)
    }
}
