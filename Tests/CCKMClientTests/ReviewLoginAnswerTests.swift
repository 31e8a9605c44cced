import Testing

@testable import CCKMClient

@Suite("Review: hostile login answers")
struct ReviewLoginAnswerTests {
    @Test(
        "a huge duration does not trap: the lifetime is capped, renewal still ahead of expiry",
        arguments: ["1e16", "1e300", "9223372036854775807"])
    func hugeDuration(duration: String) throws {
        let answer = try LoginAnswer(
            Array(#"{"jwt":"j","duration":\#(duration)}"#.utf8), request: "login")
        #expect(answer.lifetime == LoginAnswer.maximumLifetime)
        #expect(answer.renewAfter < answer.lifetime)
    }
}
