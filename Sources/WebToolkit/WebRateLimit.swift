import Synchronization

/// exporter-toolkit's `rate_limit`: one token bucket for the whole server, as Go's
/// `rate.NewLimiter(rate.Every(interval), burst)`. It starts full with `burst` tokens, gains
/// one every `interval`, and each request takes one; a request finding none is answered 429.
/// `burst: 0` refuses every request, as in Go.
public struct WebRateLimit: Sendable, Equatable {
    /// Time to earn one token back (more than zero).
    public var interval: Duration
    /// Tokens the bucket holds: requests that may come at once.
    public var burst: Int

    public init(interval: Duration, burst: Int) {
        self.interval = interval
        self.burst = burst
    }
}

/// The bucket behind ``WebRateLimit``, kept across reloads while the limit stays the same.
public final class WebRateLimiter: Sendable {
    private struct Bucket {
        var limit: WebRateLimit
        var tokens: Double
        var last: ContinuousClock.Instant
    }

    private let bucket = Mutex<Bucket?>(nil)
    private let now: @Sendable () -> ContinuousClock.Instant

    /// `now` is the clock (tests pass their own).
    public init(now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.now = now
    }

    /// Takes a token under `limit`: nil when the request may go on, else the whole seconds
    /// until a token is back (for `Retry-After`, at least 1). No limit: always nil.
    public func take(under limit: WebRateLimit?) -> Int? {
        guard let limit else { return nil }
        let now = self.now()
        return bucket.withLock { state -> Int? in
            if state?.limit != limit { state = Bucket(limit: limit, tokens: Double(limit.burst), last: now) }
            var current = state!
            let perToken = limit.interval / .seconds(1)
            let earned = (now - current.last) / limit.interval
            current.tokens = min(Double(limit.burst), current.tokens + earned)
            current.last = now
            defer { state = current }
            if current.tokens >= 1 {
                current.tokens -= 1
                return nil
            }
            let missing = limit.burst == 0 ? perToken : (1 - current.tokens) * perToken
            return max(1, Int(missing.rounded(.up)))
        }
    }
}
