import Testing

@testable import CCKMClient

@Suite("retry waits and renewal timing")
struct RetryAndRenewalRuleTests {
    private let policy = RetryPolicy(
        maxAttempts: 5, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(1000),
        maxRetryAfter: .seconds(10))

    @Test("waits double per attempt, stay within half and all of the step, and are capped")
    func exponentialWithJitter() {
        let steps: [Duration] = [
            .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
        ]
        for (index, step) in steps.enumerated() {
            let low = policy.wait(
                afterAttempt: index + 1, retryAfterSeconds: nil, remaining: .seconds(60)
            ) { $0.lowerBound }
            let high = policy.wait(
                afterAttempt: index + 1, retryAfterSeconds: nil, remaining: .seconds(60)
            ) { $0.upperBound }
            #expect(low == step / 2)
            #expect(high == step)
        }
        let capped = RetryPolicy(
            maxAttempts: 20, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(1000))
        #expect(
            capped.wait(afterAttempt: 15, retryAfterSeconds: nil, remaining: .seconds(60)) {
                $0.upperBound
            } == .milliseconds(1000))
    }

    @Test("no wait after the last attempt, or past the deadline")
    func limits() {
        #expect(
            policy.wait(afterAttempt: 5, retryAfterSeconds: nil, remaining: .seconds(60)) == nil)
        #expect(
            policy.wait(afterAttempt: 3, retryAfterSeconds: nil, remaining: .milliseconds(150)) {
                $0.upperBound
            } == nil)
    }

    @Test("Retry-After replaces the backoff, unless it is too long or past the deadline")
    func retryAfter() {
        #expect(
            policy.wait(afterAttempt: 1, retryAfterSeconds: 3, remaining: .seconds(60))
                == .seconds(3))
        #expect(policy.wait(afterAttempt: 1, retryAfterSeconds: 11, remaining: .seconds(60)) == nil)
        #expect(policy.wait(afterAttempt: 1, retryAfterSeconds: 3, remaining: .seconds(2)) == nil)
    }

    @Test("only 429 and 5xx gateway/server errors are retried")
    func retryableStatuses() {
        #expect([429, 500, 502, 503, 504].allSatisfy(RetryPolicy.isRetryable(status:)))
        #expect(![200, 400, 401, 403, 404, 501].contains(where: RetryPolicy.isRetryable(status:)))
    }

    @Test(
        "renewal: 60 s before expiry, or at 80 % of a short duration",
        arguments: [(300.0, 240.0), (3600.0, 3540.0), (120.0, 96.0), (2.0, 1.6)])
    func renewalTime(duration: Double, renewAfter: Double) throws {
        let answer = try LoginAnswer(
            Array(#"{"jwt":"j","duration":\#(duration)}"#.utf8), request: "login")
        #expect(answer.lifetime == .milliseconds(Int64(duration * 1000)))
        #expect(abs((answer.renewAfter - .milliseconds(Int64(renewAfter * 1000))) / .seconds(1)) < 0.001)
    }

    @Test("a login answer without jwt is reason decode; without duration CM's default applies")
    func loginAnswerShape() throws {
        #expect(throws: CMError.self) {
            try LoginAnswer(Array(#"{"duration":300}"#.utf8), request: "login")
        }
        let answer = try LoginAnswer(
            Array(#"{"jwt":"j","refresh_token":"r"}"#.utf8), request: "login")
        #expect(answer.lifetime == .seconds(300))
        #expect(answer.refreshToken == "r")
    }

    @Test("login bodies are valid JSON whatever the password holds")
    func loginBodyEscaping() {
        let grant = LoginGrant.password(username: "u\"x", password: "p\\w\n", domain: nil)
        #expect(
            String(decoding: grant.body, as: UTF8.self)
                == #"{"grant_type":"password","username":"u\"x","password":"p\\w\n"}"#)
    }
}
