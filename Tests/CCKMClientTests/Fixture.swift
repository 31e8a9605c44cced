import CCKMSimulator
import CMWire
import Foundation
import JobMetrics
import Synchronization
import Testing

@testable import CCKMClient

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

/// The client tests' CipherTrust Manager is the project's simulator (real HTTP); its
/// counters (``SimulatorStats``) tell what reached it, its ``Fault``s script the lying,
/// slow and broken servers.
enum Fixture {
    static let password = "s3cret-Pa55"
    static let passwordCredentials = CMCredentials(
        username: "metrics", password: password, domain: "root")
    static let aws = Listing.named("aws")!

    /// Short waits so that retry tests take well under a second per retry.
    static let quickRetries = RetryPolicy(
        maxAttempts: 4, initialBackoff: .milliseconds(50), maxBackoff: .milliseconds(200))

    /// A simulator that knows ``passwordCredentials``, with `history` jobs per listing and no
    /// new jobs of its own.
    static func simulator(
        history: Int = 12, clock: any SimulatorClock = SystemClock(),
        _ configure: (inout SimulatorConfiguration) -> Void = { _ in }
    ) throws -> CCKMSimulator {
        var configuration = SimulatorConfiguration(
            username: "metrics", password: password, historyPerListing: history,
            newJobIntervalSeconds: 0)
        configure(&configuration)
        return try CCKMSimulator(configuration: configuration, clock: clock)
    }

    /// A client of `simulator` (its base URL given with a trailing slash, as users write it).
    static func client(
        _ simulator: CCKMSimulator, credentials: CMCredentials = passwordCredentials,
        pageSize: Int = 5, transport: HTTPTransport = HTTPTransport(),
        retryPolicy: RetryPolicy = quickRetries, recorder: RequestRecorder = RequestRecorder()
    ) -> CMClient {
        CMClient(
            baseURL: simulator.baseURL + "/", credentials: credentials, transport: transport,
            pageSize: pageSize, retryPolicy: retryPolicy, onRequest: recorder.hook)
    }

    /// The token provider a ``CMClient`` builds, on a clock the test advances.
    static func tokens(
        _ baseURL: String, credentials: CMCredentials = passwordCredentials,
        clock: ManualInstantClock
    ) -> TokenProvider {
        TokenProvider(
            sender: RequestSender(
                transports: TransportSlot(HTTPTransport()), baseURL: baseURL, retryPolicy: quickRetries,
                onRequest: { _, _ in }),
            credentials: credentials, now: clock.reader)
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

extension TokenProvider {
    /// A JWT valid now, as ``CMClient`` asks for one before each request.
    func jwt(deadline: ContinuousClock.Instant) throws(CMError) -> String {
        var sent = 0
        return try token(deadline: deadline, sent: &sent)
    }
}

/// A whole listing gathered from the page-by-page walk the poller uses.
struct CollectedListing: Sendable {
    /// Every usable job, each id once, in the order CM listed them.
    var jobs: [SyncJob] = []
    /// The entries the decoder had to skip, each id once.
    var invalid: [InvalidJob] = []
    var pages = 0
    /// HTTP requests sent: retries and logins included.
    var requests = 0
    var anomalies: [String] = []
}

extension CMClient {
    /// Walks every page of `listing` with ``listJobs(_:filters:deadline:onPage:)`` and keeps
    /// what each page brought.
    func collectJobs(
        _ listing: Listing, filters: [(String, String)] = [], deadline: ContinuousClock.Instant
    ) throws(CMError) -> CollectedListing {
        var collected = CollectedListing()
        let walk = try listJobs(listing, filters: filters, deadline: deadline) { fresh in
            collected.jobs += fresh.jobs
            collected.invalid += fresh.invalid
        }
        collected.pages = walk.pages
        collected.requests = walk.requests
        collected.anomalies = walk.anomalies
        return collected
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
