import CCKMSimulator
import Foundation
import HTTPServer
import Synchronization
import Testing

@testable import CCKMClient

@Suite("login and JWT renewal (contract section 1)")
struct AuthTests {
    @Test("password login: one login, then the listings go through with the JWT")
    func passwordLogin() throws {
        let simulator = try Fixture.simulator(history: 3)
        defer { simulator.shutdown() }
        let recorder = RequestRecorder()
        let result = try Fixture.client(simulator, recorder: recorder).collectJobs(
            Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.count == 3)
        let stats = simulator.stats()
        #expect(stats.logins == ["password": 1])
        #expect(stats.listingRequests("aws") == 1)
        #expect(stats.unauthorizedRequests == 0, "the listing carried the JWT")
        #expect(recorder.reported == ["auth 200", "sync_jobs 200"])
        #expect(result.requests == 2)
    }

    /// The login bodies an echoing CM receives, decoded.
    private func loginBodies(_ credentials: CMCredentials) throws -> [[String: String]] {
        let bodies = Mutex<[[UInt8]]>([])
        let cm = try EchoingCM(loginEcho: { request in
            bodies.withLock { $0.append(request.body) }
            return "rejected"
        })
        defer { cm.shutdown() }
        let client = CMClient(
            baseURL: cm.baseURL, credentials: credentials, transport: HTTPTransport(),
            retryPolicy: RetryPolicy(maxAttempts: 1), onRequest: { _, _ in })
        _ = Fixture.failure { try client.collectJobs(Fixture.aws, deadline: Fixture.deadline()) }
        return bodies.withLock { $0 }.map { body in
            let object = try? JSONSerialization.jsonObject(with: Data(body))
            return (object as? [String: Any])?.compactMapValues { $0 as? String } ?? [:]
        }
    }

    @Test("the grants carry what the contract says: password with username and domain; refresh")
    func grantBodies() throws {
        #expect(
            try loginBodies(Fixture.passwordCredentials) == [
                [
                    "grant_type": "password", "username": "metrics", "password": Fixture.password,
                    "domain": "root",
                ]
            ])
        #expect(
            try loginBodies(CMCredentials(refreshToken: "rt-configured")) == [
                ["grant_type": "refresh_token", "refresh_token": "rt-configured"]
            ])
    }

    @Test("refresh-token login alone: the refresh_token grant, no password needed")
    func refreshLogin() throws {
        let simulator = try Fixture.simulator { $0.refreshTokens = ["rt-configured"] }
        defer { simulator.shutdown() }
        let client = Fixture.client(simulator, credentials: CMCredentials(refreshToken: "rt-configured"))
        let result = try client.collectJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.count == 12)
        #expect(simulator.stats().logins == ["refresh_token": 1])
        #expect(simulator.stats().rejectedLogins == 0)
    }

    @Test("a rejected refresh token falls back to the password grant when both are configured")
    func refreshFallsBackToPassword() throws {
        let simulator = try Fixture.simulator(history: 0)
        defer { simulator.shutdown() }
        var credentials = Fixture.passwordCredentials
        credentials.refreshToken = "rt-revoked"
        let recorder = RequestRecorder()
        let client = Fixture.client(simulator, credentials: credentials, recorder: recorder)
        _ = try client.collectJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(simulator.stats().rejectedLogins == 1, "the refresh grant came first")
        #expect(simulator.stats().logins == ["password": 1])
        #expect(recorder.reported == ["auth 401", "auth 200", "sync_jobs 200"])
    }

    @Test("renewal ahead of expiry: a 100 s token is renewed (refresh grant) 20 s early, not before")
    func renewalAheadOfExpiry() throws {
        let simulator = try Fixture.simulator { $0.tokenLifetimeSeconds = 100 }
        defer { simulator.shutdown() }
        let clock = ManualInstantClock()
        let tokens = Fixture.tokens(simulator.baseURL, clock: clock)
        let first = try tokens.jwt(deadline: Fixture.deadline())
        clock.advance(by: .seconds(79))
        #expect(try tokens.jwt(deadline: Fixture.deadline()) == first, "79 s: 21 s left, kept")
        #expect(simulator.stats().logins == ["password": 1])
        clock.advance(by: .seconds(2))
        #expect(try tokens.jwt(deadline: Fixture.deadline()) != first, "81 s: renewed")
        #expect(simulator.stats().logins == ["password": 1, "refresh_token": 1])
    }

    @Test("a long token is renewed 60 s before expiry (the 60 s cap, not 20 %)")
    func renewalCapsAtSixtySeconds() throws {
        let simulator = try Fixture.simulator { $0.tokenLifetimeSeconds = 3600 }
        defer { simulator.shutdown() }
        let clock = ManualInstantClock()
        let tokens = Fixture.tokens(simulator.baseURL, clock: clock)
        _ = try tokens.jwt(deadline: Fixture.deadline())
        clock.advance(by: .seconds(3539))
        _ = try tokens.jwt(deadline: Fixture.deadline())
        #expect(simulator.stats().logins.values.reduce(0, +) == 1, "61 s left: kept")
        clock.advance(by: .seconds(2))
        _ = try tokens.jwt(deadline: Fixture.deadline())
        #expect(simulator.stats().logins.values.reduce(0, +) == 2, "59 s left: renewed")
    }

    @Test("a 2 s token is renewed before CM rejects it: the old one expires there, the new one works")
    func renewedTokenOutlivesTheOld() throws {
        let simulatorClock = ManualClock()
        let clock = ManualInstantClock()
        func advance(milliseconds: Int64) {
            simulatorClock.advance(by: Double(milliseconds) / 1000)
            clock.advance(by: .milliseconds(milliseconds))
        }
        let simulator = try Fixture.simulator(clock: simulatorClock) { $0.tokenLifetimeSeconds = 2 }
        defer { simulator.shutdown() }
        let tokens = Fixture.tokens(simulator.baseURL, clock: clock)
        let first = try tokens.jwt(deadline: Fixture.deadline())
        advance(milliseconds: 1700)  // past 80 % of 2 s, before expiry
        let second = try tokens.jwt(deadline: Fixture.deadline())
        #expect(second != first)
        #expect(simulator.stats().logins == ["password": 1, "refresh_token": 1])
        advance(milliseconds: 500)  // 2.2 s after the first login: the simulator rejects it now
        func listingStatus(_ jwt: String) throws -> Int {
            try HTTPTransport().send(
                method: "GET", url: simulator.baseURL + "/api/v1/cckm/\(Fixture.aws.path)?limit=5",
                headers: ["Authorization: Bearer \(jwt)"]
            ).status
        }
        #expect(try listingStatus(first) == 401, "the first token expired in the simulator")
        #expect(try listingStatus(second) == 200, "the renewed one is still good")
    }

    @Test("duration is read, not assumed: a long-lived token is reused across polls")
    func longLivedTokenReused() throws {
        let simulator = try Fixture.simulator { $0.tokenLifetimeSeconds = 3600 }
        defer { simulator.shutdown() }
        let client = Fixture.client(simulator)
        for _ in 0..<3 { _ = try client.collectJobs(Fixture.aws, deadline: Fixture.deadline()) }
        #expect(simulator.stats().logins == ["password": 1])
        #expect(simulator.stats().listingRequests("aws") == 3 * 3)
    }

    @Test("a 401 mid-paging renews once (refresh grant) and the listing completes")
    func unauthorizedMidPaging() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        let expected = try Fixture.client(simulator).collectJobs(
            Fixture.aws, deadline: Fixture.deadline()
        ).jobs.map(\.id)
        // The second page (skip=5…9: the third request, the second asks from skip=4) answers
        // 401 once, as for a token CM expired meanwhile.
        try simulator.injectFault(Fault(scope: .listings, page: 2, status: 401))
        let recorder = RequestRecorder()
        let result = try Fixture.client(simulator, recorder: recorder).collectJobs(
            Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.map(\.id) == expected)
        #expect(simulator.stats().logins == ["password": 2, "refresh_token": 1])
        #expect(
            recorder.reported == [
                "auth 200", "sync_jobs 200", "sync_jobs 200", "sync_jobs 401", "auth 200",
                "sync_jobs 200",
            ])
        #expect(result.requests == 6)
        #expect(result.pages == 3)
    }

    @Test("a 401 that survives the renewal is an auth error, not a loop")
    func unauthorizedAfterRenewal() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        try simulator.injectFault(Fault(scope: .listings, count: 0, status: 401))
        let error = Fixture.failure {
            try Fixture.client(simulator).collectJobs(Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .auth)
        #expect(error?.message.contains("401") == true)
        #expect(error?.message.contains("Token is expired") == true)
        #expect(simulator.stats().logins == ["password": 1, "refresh_token": 1])
        #expect(simulator.stats().listingRequests("aws") == 2)
    }

    @Test("a rejected login is reason auth with CM's codeDesc and message, and no secret; once a poll")
    func rejectedLogin() throws {
        let simulator = try Fixture.simulator { $0.password = "the-right-one" }
        defer { simulator.shutdown() }
        let recorder = RequestRecorder()
        let client = Fixture.client(simulator, recorder: recorder)
        let deadline = Fixture.deadline()
        let error = Fixture.failure { try client.collectJobs(Fixture.aws, deadline: deadline) }
        #expect(error?.reason == .auth)
        let text = "\(String(describing: error))"
        #expect(text.contains("NCERRUnauthorizedAccess"))
        #expect(text.contains("Invalid user credentials"))
        #expect(text.contains("/api/v1/auth/tokens"))
        #expect(!text.contains(Fixture.password))

        // Same poll (same deadline), other listings: no second login attempt.
        for listing in Listing.all.dropFirst().prefix(2) {
            let again = Fixture.failure { try client.collectJobs(listing, deadline: deadline) }
            #expect(again == error, "\(listing)")
        }
        #expect(simulator.stats().rejectedLogins == 1)
        #expect(simulator.stats().apiRequests == 1, "no listing request")
        #expect(recorder.reported == ["auth 401"])
    }

    @Test("a rejected login is remembered until its poll's deadline; the next poll logs in again")
    func rejectionLastsUntilTheDeadline() throws {
        let simulator = try Fixture.simulator { $0.password = "the-right-one" }
        defer { simulator.shutdown() }
        let clock = ManualInstantClock()
        let tokens = Fixture.tokens(simulator.baseURL, clock: clock)
        let deadline = clock.now + .seconds(10)
        #expect(throws: CMError.self) { try tokens.jwt(deadline: deadline) }
        clock.advance(by: .seconds(9))
        #expect(throws: CMError.self) { try tokens.jwt(deadline: deadline) }
        #expect(simulator.stats().rejectedLogins == 1, "same poll: no second attempt")
        clock.advance(by: .seconds(2))
        #expect(throws: CMError.self) { try tokens.jwt(deadline: clock.now + .seconds(10)) }
        #expect(simulator.stats().rejectedLogins == 2, "the next poll tries again")
    }

    @Test("no credentials at all is an auth error without a request")
    func noCredentials() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        let client = Fixture.client(simulator, credentials: CMCredentials(username: "metrics"))
        let error = Fixture.failure {
            try client.collectJobs(Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .auth)
        #expect(simulator.stats().apiRequests == 0)
    }

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
