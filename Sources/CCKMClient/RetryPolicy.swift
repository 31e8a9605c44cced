/// When and how long to wait before sending a failed request again.
///
/// Only answers that may succeed later are retried (429, 500, 502–504, timeouts); the waits
/// grow exponentially with jitter, so several exporters do not hammer a recovering CM in step,
/// and a `Retry-After` from the server is honoured. No wait runs past the poll's deadline:
/// when the next attempt could not start in time, the last error stands.
public struct RetryPolicy: Sendable, Equatable {
    /// Most attempts per request, the first one included.
    public var maxAttempts: Int
    /// The wait before the second attempt, before jitter; doubled for each later one.
    public var initialBackoff: Duration
    /// The longest wait between two attempts, before jitter.
    public var maxBackoff: Duration
    /// The longest `Retry-After` honoured; a longer one gives up instead of waiting.
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(250),
        maxBackoff: Duration = .seconds(4), maxRetryAfter: Duration = .seconds(30)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
    }

    /// HTTP statuses worth another attempt: rate limiting and server-side failures.
    static func isRetryable(status: Int) -> Bool {
        status == 429 || status == 502 || status == 503 || status == 504 || status == 500
    }

    /// The wait before attempt `attempt + 1` (`attempt` counts from 1), or nil to give up.
    ///
    /// - Parameters:
    ///   - retryAfterSeconds: the server's `Retry-After`, used instead of the backoff.
    ///   - remaining: time left until the deadline; a wait that leaves none is refused.
    func wait(
        afterAttempt attempt: Int, retryAfterSeconds: Int?, remaining: Duration,
        random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        let wait: Duration
        if let retryAfterSeconds {
            wait = .seconds(retryAfterSeconds)
            guard wait <= maxRetryAfter else { return nil }
        } else {
            let exponent = min(attempt - 1, 30)
            let ceiling = min(maxBackoff, initialBackoff * (1 << exponent))
            // Equal jitter: between half and all of the step, so waits still grow while
            // clients that failed together spread out.
            wait = ceiling * random(0.5...1.0)
        }
        // The next attempt needs time of its own after the wait.
        guard wait < remaining else { return nil }
        return wait
    }
}
