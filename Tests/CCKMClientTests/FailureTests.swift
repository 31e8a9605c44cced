import CCKMClient
import CCKMSimulator
import Foundation
import Testing

@Suite("upstream failures map to one reason each (contract section 3, reason label)")
struct FailureTests {
    @Test("a 5xx burst is retried with backoff and the listing completes within the deadline")
    func serverErrorBurstRecovers() throws {
        let simulator = try Fixture.simulator(history: 3)
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .listings, status: 503))
        try simulator.injectFault(Fault(scope: .listings, status: 502))
        let recorder = RequestRecorder()
        let result = try Fixture.client(simulator, recorder: recorder).collectJobs(
            Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.count == 3)
        #expect(
            recorder.reported == ["auth 200", "sync_jobs 503", "sync_jobs 502", "sync_jobs 200"])
        #expect(result.requests == 4)
        #expect(simulator.stats().listingRequests("aws") == 3)
    }

    @Test("5xx beyond the deadline: reason http with the status and CM's codeDesc")
    func serverErrorsPastDeadline() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .listings, count: 0, status: 503))
        let slowRetries = RetryPolicy(
            maxAttempts: 100, initialBackoff: .milliseconds(200), maxBackoff: .milliseconds(400))
        let started = ContinuousClock.now
        let error = Fixture.failure {
            try Fixture.client(simulator, retryPolicy: slowRetries).collectJobs(
                Fixture.aws, deadline: Fixture.deadline(3))
        }
        // 3 s, not 1: on a loaded machine one local request can eat a short budget, and the
        // poll then ends as a timeout before the last 503 is seen.
        #expect(error?.reason == .http)
        #expect(error?.message.contains("HTTP 503") == true)
        #expect(error?.message.contains("NCERRServiceUnavailable") == true)
        #expect(error?.message.contains("/api/v1/cckm/aws/synchronization-jobs") == true)
        #expect(ContinuousClock.now - started < .milliseconds(3300), "no wait past the deadline")
        #expect(simulator.stats().listingRequests("aws") >= 2)
    }

    @Test("Retry-After is honoured before the next attempt")
    func retryAfterHonoured() throws {
        let simulator = try Fixture.simulator(history: 3)
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .listings, status: 429, retryAfterSeconds: 1))
        let recorder = RequestRecorder()
        let started = ContinuousClock.now
        _ = try Fixture.client(simulator, recorder: recorder).collectJobs(
            Fixture.aws, deadline: Fixture.deadline())
        #expect(ContinuousClock.now - started >= .seconds(1))
        #expect(recorder.reported == ["auth 200", "sync_jobs 429", "sync_jobs 200"])
    }

    @Test("a Retry-After longer than the time left gives up at once: reason http")
    func retryAfterPastDeadline() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .listings, status: 429, retryAfterSeconds: 5))
        let started = ContinuousClock.now
        let error = Fixture.failure {
            try Fixture.client(simulator).collectJobs(Fixture.aws, deadline: Fixture.deadline(2))
        }
        #expect(error?.reason == .http)
        #expect(error?.message.contains("429") == true)
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(simulator.stats().listingRequests("aws") == 1)
    }

    @Test("other unexpected statuses are not retried: 404 on a listing is reason http")
    func notFoundListing() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .listings, status: 404))
        let error = Fixture.failure {
            try Fixture.client(simulator).collectJobs(Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .http)
        #expect(simulator.stats().listingRequests("aws") == 1)
    }

    @Test("a 403 is reason auth")
    func forbidden() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .listings, status: 403))
        let error = Fixture.failure {
            try Fixture.client(simulator).collectJobs(Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .auth)
    }

    /// Listing answers that cannot be decoded.
    private static let undecodable: [Fault] = [
        Fault(
            scope: .listings,
            body: #"{"skip":0,"limit":5,"total":2,"resources":[{"id":"a","createdAt":"2024-"#),
        Fault(scope: .listings, body: "<html>502 Bad Gateway</html>"),
        // `resources` absent is an empty page (API-FACTS); of another type it is undecodable.
        Fault(scope: .listings, body: #"{"skip":0,"total":1,"resources":{"id":"a"}}"#),
        Fault(scope: .listings, body: ""),
        Fault(scope: .listings, truncate: true),
        Fault(scope: .listings, invalidJSON: true),
    ]

    @Test(
        "invalid, truncated or empty JSON is reason decode, and not retried", arguments: undecodable.indices)
    func invalidJSON(index: Int) throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        try simulator.injectFault(Self.undecodable[index])
        let error = Fixture.failure {
            try Fixture.client(simulator).collectJobs(Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .decode)
        #expect(error?.message.contains("/api/v1/cckm/aws/synchronization-jobs") == true)
        #expect(simulator.stats().listingRequests("aws") == 1)
    }

    @Test("a response over the size cap is reason decode")
    func responseTooLarge() throws {
        let simulator = try Fixture.simulator(history: 50)
        defer { simulator.shutdown() }
        let transport = HTTPTransport(settings: .init(maxResponseBytes: 2000))
        let error = Fixture.failure {
            try Fixture.client(simulator, pageSize: 50, transport: transport).collectJobs(
                Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .decode)
    }

    @Test("connection refused (a closed port) is reason connect")
    func connectionRefused() throws {
        let simulator = try Fixture.simulator()
        simulator.shutdown(gracePeriod: .zero)
        let recorder = RequestRecorder()
        let error = Fixture.failure {
            try Fixture.client(simulator, recorder: recorder).collectJobs(
                Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .connect)
        #expect(error?.message.contains("/api/v1/auth/tokens") == true)
        #expect(recorder.reported == ["auth error"])
    }

    @Test("a DNS failure is reason connect")
    func dnsFailure() throws {
        let transport = HTTPTransport(
            settings: .init(requestTimeout: .seconds(5), connectTimeout: .seconds(5)))
        let client = CMClient(
            baseURL: "http://nonexistent.invalid/", credentials: Fixture.passwordCredentials,
            transport: transport, onRequest: { _, _ in })
        let error = Fixture.failure {
            try client.collectJobs(Fixture.aws, deadline: Fixture.deadline(6))
        }
        #expect(error?.reason == .connect, "\(String(describing: error))")
    }

    @Test("a server that answers too slowly is reason timeout, within the deadline")
    func slowServer() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .listings, count: 0, delayMilliseconds: 1500))
        let transport = HTTPTransport(settings: .init(requestTimeout: .milliseconds(300)))
        let started = ContinuousClock.now
        let error = Fixture.failure {
            try Fixture.client(simulator, transport: transport).collectJobs(
                Fixture.aws, deadline: Fixture.deadline(1))
        }
        #expect(error?.reason == .timeout)
        #expect(ContinuousClock.now - started < .milliseconds(1500))
        simulator.clearFaults()
    }

    @Test("a deadline already past sends nothing: reason timeout")
    func deadlinePassed() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        let error = Fixture.failure {
            try Fixture.client(simulator).collectJobs(Fixture.aws, deadline: .now)
        }
        #expect(error?.reason == .timeout)
        #expect(simulator.stats().apiRequests == 0)
    }
}
