import CCKMClient
import Foundation
import JobMetrics
import Synchronization
import Testing

/// Collects what the client reports through `onRequest`.
final class RequestRecorder: Sendable {
    private let events = Mutex<[String]>([])

    /// The hook to hand to ``CMClient``.
    var hook: @Sendable (APIEndpoint, String) -> Void {
        { endpoint, code in self.events.withLock { $0.append("\(endpoint.rawValue) \(code)") } }
    }

    /// `["auth 200", "sync_jobs 200", …]` in the order sent.
    var reported: [String] { events.withLock { $0 } }
}

enum Fixture {
    static let password = "s3cret-Pa55"
    static let passwordCredentials = CMCredentials(
        username: "metrics", password: password, domain: "root")
    static let aws = Listing.named("aws")!

    /// Short waits so that retry tests take well under a second per retry.
    static let quickRetries = RetryPolicy(
        maxAttempts: 4, initialBackoff: .milliseconds(50), maxBackoff: .milliseconds(200))

    static func client(
        _ cm: FakeCM, credentials: CMCredentials = passwordCredentials, pageSize: Int = 5,
        transport: HTTPTransport = HTTPTransport(), retryPolicy: RetryPolicy = quickRetries,
        recorder: RequestRecorder = RequestRecorder()
    ) -> CMClient {
        CMClient(
            baseURL: cm.baseURL + "/", credentials: credentials, transport: transport,
            pageSize: pageSize, retryPolicy: retryPolicy, onRequest: recorder.hook)
    }

    static func deadline(_ seconds: Double = 10) -> ContinuousClock.Instant {
        .now + .milliseconds(Int64(seconds * 1000))
    }

    /// The ``CMError`` `body` threw, or nil when it succeeded (any other error fails the test).
    static func failure<T>(_ body: () throws -> T) -> CMError? {
        do {
            _ = try body()
            return nil
        } catch let error as CMError {
            return error
        } catch {
            Issue.record("not a CMError: \(error)")
            return nil
        }
    }
}

/// A monotonic clock that moves only when the test advances it: the `now:` of a
/// ``TokenProvider`` under test.
final class ManualInstantClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { instant.withLock { $0 } }

    /// The clock as the `now:` parameter takes it.
    var reader: @Sendable () -> ContinuousClock.Instant { { self.now } }

    func advance(by duration: Duration) { instant.withLock { $0 += duration } }
}
