import Foundation
import Synchronization
import Testing
import WebToolkit

/// `rate_limit` as exporter-toolkit's Go limiter: a full bucket of `burst`, one token back per
/// `interval`, 429 with `Retry-After` when empty.
@Suite("Web config: rate_limit")
struct WebRateLimitTests {
    /// A clock the test moves by hand.
    final class Clock: Sendable {
        private let start = ContinuousClock.now
        private let offset = Mutex(Duration.zero)
        func advance(_ by: Duration) { offset.withLock { $0 += by } }
        var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
    }

    @Test("burst requests pass at once, the next waits for one interval, tokens refill up to burst")
    func bucket() {
        let clock = Clock()
        let limiter = WebRateLimiter(now: { clock.now })
        let limit = WebRateLimit(interval: .seconds(10), burst: 2)
        #expect(limiter.take(under: limit) == nil)
        #expect(limiter.take(under: limit) == nil)
        #expect(limiter.take(under: limit) == 10)
        clock.advance(.seconds(4))
        #expect(limiter.take(under: limit) == 6)
        clock.advance(.seconds(6))
        #expect(limiter.take(under: limit) == nil)
        #expect(limiter.take(under: limit) != nil)
        clock.advance(.seconds(3600))
        #expect(limiter.take(under: limit) == nil && limiter.take(under: limit) == nil)
        #expect(limiter.take(under: limit) != nil, "the bucket holds no more than burst")
        #expect(limiter.take(under: nil) == nil)
    }

    @Test("a changed limit starts a full bucket; burst 0 refuses everything, as in Go")
    func changes() {
        let clock = Clock()
        let limiter = WebRateLimiter(now: { clock.now })
        let one = WebRateLimit(interval: .seconds(1), burst: 1)
        #expect(limiter.take(under: one) == nil)
        #expect(limiter.take(under: one) == 1)
        #expect(limiter.take(under: WebRateLimit(interval: .seconds(2), burst: 1)) == nil)
        #expect(limiter.take(under: WebRateLimit(interval: .seconds(1), burst: 0)) == 1)
    }

    @Test(
        "Go durations",
        arguments: [
            ("1s", Duration.seconds(1)), ("250ms", .milliseconds(250)), ("1m30s", .seconds(90)),
            ("1.5h", .seconds(5400)),
            ("0", .zero), ("1000", .nanoseconds(1000)), ("2us", .microseconds(2)),
        ])
    func durations(_ text: String, _ expected: Duration) {
        #expect(GoDuration.parse(text) == expected)
    }

    @Test("not Go durations", arguments: ["", "s", "-", "1 s", "1sec", ".s", "1d"])
    func notDurations(_ text: String) {
        #expect(GoDuration.parse(text) == nil)
    }

    @Test("the file's shapes: interval 0 is no limit, a burst is served then 429 with Retry-After")
    func served() throws {
        let none = try WebConfigLoader.parse("rate_limit: {interval: 0, burst: 0}", directory: "/")
        #expect(none.rateLimit == nil)
        let config = try WebConfigLoader.parse(
            "rate_limit:\n  interval: \"1h\"\n  burst: 2\n", directory: "/")
        #expect(config.rateLimit == WebRateLimit(interval: .seconds(3600), burst: 2))
        let server = try GatedServer(config)
        #expect(server.status("/metrics") == 200)
        #expect(server.status("/metrics") == 200)
        let refused = try server.get("/metrics").get()
        #expect(refused.status == 429)
        #expect(refused.retryAfterSeconds == 3600)
        let everything = try GatedServer(
            try WebConfigLoader.parse("rate_limit: {interval: 1s, burst: 0}", directory: "/"))
        #expect(everything.status("/-/healthy") == 429)
    }
}
