import CCKMClient
import Foundation
import HTTPServer
import Testing

@Suite("upstream failures map to one reason each (contract section 3, reason label)")
struct FailureTests {
    @Test("a 5xx burst is retried with backoff and the listing completes within the deadline")
    func serverErrorBurstRecovers() throws {
        let cm = try FakeCM {
            $0.jobs = FakeCM.jobs(3)
            $0.faults = [.status(503), .status(502)]
        }
        defer { cm.shutdown() }
        let recorder = RequestRecorder()
        let result = try Fixture.client(cm, recorder: recorder).listJobs(
            Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.count == 3)
        #expect(cm.listings.map(\.status) == [503, 502, 200])
        #expect(
            recorder.reported == ["auth 200", "sync_jobs 503", "sync_jobs 502", "sync_jobs 200"])
        #expect(result.requests == 4)
    }

    @Test("5xx beyond the deadline: reason http with the status and CM's codeDesc")
    func serverErrorsPastDeadline() throws {
        let cm = try FakeCM { $0.faults = Array(repeating: .status(503), count: 100) }
        defer { cm.shutdown() }
        let slowRetries = RetryPolicy(
            maxAttempts: 100, initialBackoff: .milliseconds(200), maxBackoff: .milliseconds(400))
        let started = ContinuousClock.now
        let error = Fixture.failure {
            try Fixture.client(cm, retryPolicy: slowRetries).listJobs(
                Fixture.aws, deadline: Fixture.deadline(3))
        }
        // 3 s, not 1: on a loaded machine one local request can eat a short budget, and the
        // poll then ends as a timeout before the last 503 is seen.
        #expect(error?.reason == .http)
        #expect(error?.message.contains("HTTP 503") == true)
        #expect(error?.message.contains("NCERRInternalServerError") == true)
        #expect(error?.message.contains("/api/v1/cckm/aws/synchronization-jobs") == true)
        #expect(ContinuousClock.now - started < .milliseconds(3300), "no wait past the deadline")
        #expect(cm.listings.count >= 2)
    }

    @Test("Retry-After is honoured before the next attempt")
    func retryAfterHonoured() throws {
        let cm = try FakeCM { $0.faults = [.status(429, retryAfter: 1)] }
        defer { cm.shutdown() }
        _ = try Fixture.client(cm).listJobs(Fixture.aws, deadline: Fixture.deadline())
        let attempts = cm.listings
        #expect(attempts.map(\.status) == [429, 200])
        #expect(attempts[1].at - attempts[0].at >= .seconds(1))
    }

    @Test("a Retry-After longer than the time left gives up at once: reason http")
    func retryAfterPastDeadline() throws {
        let cm = try FakeCM { $0.faults = [.status(429, retryAfter: 5)] }
        defer { cm.shutdown() }
        let started = ContinuousClock.now
        let error = Fixture.failure {
            try Fixture.client(cm).listJobs(Fixture.aws, deadline: Fixture.deadline(2))
        }
        #expect(error?.reason == .http)
        #expect(error?.message.contains("429") == true)
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(cm.listings.count == 1)
    }

    @Test("other unexpected statuses are not retried: 404 on a listing is reason http")
    func notFoundListing() throws {
        let cm = try FakeCM { $0.faults = [.status(404)] }
        defer { cm.shutdown() }
        let error = Fixture.failure {
            try Fixture.client(cm).listJobs(Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .http)
        #expect(cm.listings.count == 1)
    }

    @Test("a 403 is reason auth", arguments: [403])
    func forbidden(status: Int) throws {
        let cm = try FakeCM { $0.faults = [.status(status)] }
        defer { cm.shutdown() }
        let error = Fixture.failure {
            try Fixture.client(cm).listJobs(Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .auth)
    }

    @Test(
        "invalid or truncated JSON is reason decode",
        arguments: [
            #"{"skip":0,"limit":5,"total":2,"resources":[{"id":"a","createdAt":"2024-"#,
            "<html>502 Bad Gateway</html>", #"{"skip":0,"total":1}"#, "",
        ])
    func invalidJSON(body: String) throws {
        let cm = try FakeCM { $0.faults = [.body(body)] }
        defer { cm.shutdown() }
        let error = Fixture.failure {
            try Fixture.client(cm).listJobs(Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .decode)
        #expect(error?.message.contains("/api/v1/cckm/aws/synchronization-jobs") == true)
    }

    @Test("a response over the size cap is reason decode")
    func responseTooLarge() throws {
        let cm = try FakeCM { $0.jobs = FakeCM.jobs(50) }
        defer { cm.shutdown() }
        let transport = HTTPTransport(settings: .init(maxResponseBytes: 2000))
        let error = Fixture.failure {
            try Fixture.client(cm, pageSize: 50, transport: transport).listJobs(
                Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .decode)
    }

    @Test("connection refused (a closed port) is reason connect")
    func connectionRefused() throws {
        let server = try HTTPServer(options: HTTPServerOptions(host: "127.0.0.1", port: 0)) { _ in
            .text(200, "")
        }
        let port = server.port
        server.shutdown(gracePeriod: .zero)
        let recorder = RequestRecorder()
        let client = CMClient(
            baseURL: "http://127.0.0.1:\(port)", credentials: Fixture.passwordCredentials,
            transport: HTTPTransport(), onRequest: recorder.hook)
        let error = Fixture.failure {
            try client.listJobs(Fixture.aws, deadline: Fixture.deadline())
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
            try client.listJobs(Fixture.aws, deadline: Fixture.deadline(6))
        }
        #expect(error?.reason == .connect, "\(String(describing: error))")
    }

    @Test("a server that answers too slowly is reason timeout, within the deadline")
    func slowServer() throws {
        let cm = try FakeCM { $0.faults = Array(repeating: .sleep(1.5), count: 5) }
        defer { cm.shutdown() }
        let transport = HTTPTransport(settings: .init(requestTimeout: .milliseconds(300)))
        let started = ContinuousClock.now
        let error = Fixture.failure {
            try Fixture.client(cm, transport: transport).listJobs(
                Fixture.aws, deadline: Fixture.deadline(1))
        }
        #expect(error?.reason == .timeout)
        #expect(ContinuousClock.now - started < .milliseconds(1500))
    }

    @Test("a deadline already past sends nothing: reason timeout")
    func deadlinePassed() throws {
        let cm = try FakeCM()
        defer { cm.shutdown() }
        let error = Fixture.failure { try Fixture.client(cm).listJobs(Fixture.aws, deadline: .now) }
        #expect(error?.reason == .timeout)
        #expect(cm.log.isEmpty)
    }

    @Test("a password a broken server echoes back never reaches the error message")
    func echoedPasswordScrubbed() throws {
        let echo = try HTTPServer(options: HTTPServerOptions(host: "127.0.0.1", port: 0)) {
            request in
            let body = String(decoding: request.body, as: UTF8.self).replacingOccurrences(
                of: "\"", with: "'")
            return FakeCM.cmError(400, "NCERRBadRequest", "cannot parse \(body)")
        }
        defer { echo.shutdown(gracePeriod: .milliseconds(100)) }
        let client = CMClient(
            baseURL: "http://127.0.0.1:\(echo.port)", credentials: Fixture.passwordCredentials,
            transport: HTTPTransport(), onRequest: { _, _ in })
        let error = Fixture.failure {
            try client.listJobs(Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .auth)
        #expect(error?.message.contains("NCERRBadRequest") == true)
        #expect(error?.message.contains("<redacted>") == true)
        #expect(error?.message.contains(Fixture.password) == false, "\(String(describing: error))")
    }

    @Test("a JWT a broken server echoes back never reaches the error message")
    func echoedTokenScrubbed() throws {
        let echo = try HTTPServer(options: HTTPServerOptions(host: "127.0.0.1", port: 0)) {
            request in
            if request.path == "/api/v1/auth/tokens" {
                return .json(200, Array(#"{"jwt":"eyJ-secret-jwt","duration":300}"#.utf8))
            }
            return FakeCM.cmError(
                418, "NCERRTeapot", "you sent \(request.header("Authorization") ?? "")")
        }
        defer { echo.shutdown(gracePeriod: .milliseconds(100)) }
        let client = CMClient(
            baseURL: "http://127.0.0.1:\(echo.port)", credentials: Fixture.passwordCredentials,
            transport: HTTPTransport(), onRequest: { _, _ in })
        let error = Fixture.failure {
            try client.listJobs(Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .http)
        #expect(error?.message.contains("HTTP 418 NCERRTeapot") == true)
        #expect(error?.message.contains("eyJ-secret-jwt") == false, "\(String(describing: error))")
    }
}
