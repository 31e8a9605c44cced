import CCKMClient
import Foundation
import Testing

@Suite("login and JWT renewal (contract section 1)")
struct AuthTests {
    private func body(_ entry: FakeCM.Entry) -> [String: String] {
        let object = try? JSONSerialization.jsonObject(with: Data(entry.body.utf8))
        return (object as? [String: Any])?.compactMapValues { $0 as? String } ?? [:]
    }

    @Test("password login: the grant carries username, password and domain; listings use the JWT")
    func passwordLogin() throws {
        let cm = try FakeCM { $0.jobs = FakeCM.jobs(3) }
        defer { cm.shutdown() }
        let recorder = RequestRecorder()
        let client = Fixture.client(cm, recorder: recorder)
        let result = try client.listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.count == 3)
        #expect(cm.logins.count == 1)
        #expect(
            body(cm.logins[0]) == [
                "grant_type": "password", "username": "metrics", "password": Fixture.password,
                "domain": "root",
            ])
        #expect(cm.listings.map(\.authorization) == ["Bearer jwt-1"])
        #expect(recorder.reported == ["auth 200", "sync_jobs 200"])
        #expect(result.requests == 2)
    }

    @Test("refresh-token login alone: the refresh_token grant, no password needed")
    func refreshLogin() throws {
        let cm = try FakeCM { $0.refreshTokens = ["rt-configured"] }
        defer { cm.shutdown() }
        let client = Fixture.client(cm, credentials: CMCredentials(refreshToken: "rt-configured"))
        _ = try client.listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(
            cm.logins.map { body($0) } == [
                ["grant_type": "refresh_token", "refresh_token": "rt-configured"]
            ])
        #expect(cm.listings.count == 1)
    }

    @Test("a rejected refresh token falls back to the password grant when both are configured")
    func refreshFallsBackToPassword() throws {
        let cm = try FakeCM()
        defer { cm.shutdown() }
        var credentials = Fixture.passwordCredentials
        credentials.refreshToken = "rt-revoked"
        let recorder = RequestRecorder()
        let client = Fixture.client(cm, credentials: credentials, recorder: recorder)
        _ = try client.listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(cm.logins.map { body($0)["grant_type"] } == ["refresh_token", "password"])
        #expect(recorder.reported == ["auth 401", "auth 200", "sync_jobs 200"])
    }

    @Test("renewal ahead of expiry: a 100 s token is renewed (refresh grant) 20 s early, not before")
    func renewalAheadOfExpiry() throws {
        let cm = try FakeCM { $0.tokenLifetime = 100 }
        defer { cm.shutdown() }
        let clock = ManualInstantClock()
        let tokens = TokenProvider(
            baseURL: cm.baseURL, credentials: Fixture.passwordCredentials, transport: HTTPTransport(),
            now: clock.reader)
        #expect(try tokens.token(deadline: Fixture.deadline()) == "jwt-1")
        clock.advance(by: .seconds(79))
        #expect(try tokens.token(deadline: Fixture.deadline()) == "jwt-1", "79 s: 21 s left, kept")
        #expect(cm.logins.count == 1)
        clock.advance(by: .seconds(2))
        #expect(try tokens.token(deadline: Fixture.deadline()) == "jwt-2", "81 s: renewed")
        #expect(cm.logins.map { body($0)["grant_type"] } == ["password", "refresh_token"])
    }

    @Test("a long token is renewed 60 s before expiry (the 60 s cap, not 20 %)")
    func renewalCapsAtSixtySeconds() throws {
        let cm = try FakeCM { $0.tokenLifetime = 3600 }
        defer { cm.shutdown() }
        let clock = ManualInstantClock()
        let tokens = TokenProvider(
            baseURL: cm.baseURL, credentials: Fixture.passwordCredentials, transport: HTTPTransport(),
            now: clock.reader)
        _ = try tokens.token(deadline: Fixture.deadline())
        clock.advance(by: .seconds(3539))
        _ = try tokens.token(deadline: Fixture.deadline())
        #expect(cm.logins.count == 1, "61 s left: kept")
        clock.advance(by: .seconds(2))
        _ = try tokens.token(deadline: Fixture.deadline())
        #expect(cm.logins.count == 2, "59 s left: renewed")
    }

    @Test("duration is read, not assumed: a long-lived token is reused across polls")
    func longLivedTokenReused() throws {
        let cm = try FakeCM { $0.tokenLifetime = 3600 }
        defer { cm.shutdown() }
        let client = Fixture.client(cm)
        for _ in 0..<3 { _ = try client.listJobs(Fixture.aws, deadline: Fixture.deadline()) }
        #expect(cm.logins.count == 1)
        #expect(cm.listings.count == 3)
    }

    @Test("a 401 mid-paging renews once and the listing completes")
    func unauthorizedMidPaging() throws {
        let cm = try FakeCM {
            $0.jobs = FakeCM.jobs(12)
            $0.expireTokensAfterPage = [0]  // the second page meets a 401
        }
        defer { cm.shutdown() }
        let recorder = RequestRecorder()
        let client = Fixture.client(cm, recorder: recorder)
        let result = try client.listJobs(Fixture.aws, deadline: Fixture.deadline())
        #expect(result.jobs.map(\.id) == (0..<12).reversed().map { "job-\($0)" })
        #expect(cm.logins.map { body($0)["grant_type"] } == ["password", "refresh_token"])
        #expect(cm.listings.map(\.status) == [200, 401, 200, 200])
        #expect(
            recorder.reported == [
                "auth 200", "sync_jobs 200", "sync_jobs 401", "auth 200", "sync_jobs 200",
                "sync_jobs 200",
            ])
        #expect(result.requests == 6)
        #expect(result.pages == 3)
    }

    @Test("a 401 that survives the renewal is an auth error, not a loop")
    func unauthorizedAfterRenewal() throws {
        let cm = try FakeCM { $0.acceptsTokens = false }
        defer { cm.shutdown() }
        let client = Fixture.client(cm)
        let error = Fixture.failure {
            try client.listJobs(Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .auth)
        #expect(error?.message.contains("401") == true)
        #expect(error?.message.contains("Token is expired") == true)
        #expect(cm.logins.count == 2)
        #expect(cm.listings.count == 2)
    }

    @Test("a rejected login is reason auth with CM's codeDesc and message, and no secret")
    func rejectedLogin() throws {
        let cm = try FakeCM { $0.password = "the-right-one" }
        defer { cm.shutdown() }
        let recorder = RequestRecorder()
        let client = Fixture.client(cm, recorder: recorder)
        let deadline = Fixture.deadline()
        let error = Fixture.failure { try client.listJobs(Fixture.aws, deadline: deadline) }
        #expect(error?.reason == .auth)
        let text = "\(String(describing: error))"
        #expect(text.contains("NCERRUnauthorizedAccess"))
        #expect(text.contains("Invalid user credentials"))
        #expect(text.contains("/api/v1/auth/tokens"))
        #expect(!text.contains(Fixture.password))
        #expect(cm.listings.isEmpty)

        // Same poll (same deadline), other listing: no second login attempt.
        let again = Fixture.failure {
            try client.listJobs(Listing.named("azure")!, deadline: deadline)
        }
        #expect(again == error)
        #expect(cm.logins.count == 1)
        #expect(recorder.reported == ["auth 401"])
    }

    @Test("a rejected login is remembered until its poll's deadline; the next poll logs in again")
    func rejectionLastsUntilTheDeadline() throws {
        let cm = try FakeCM { $0.password = "the-right-one" }
        defer { cm.shutdown() }
        let clock = ManualInstantClock()
        let tokens = TokenProvider(
            baseURL: cm.baseURL, credentials: Fixture.passwordCredentials, transport: HTTPTransport(),
            now: clock.reader)
        let deadline = clock.now + .seconds(10)
        #expect(throws: CMError.self) { try tokens.token(deadline: deadline) }
        clock.advance(by: .seconds(9))
        #expect(throws: CMError.self) { try tokens.token(deadline: deadline) }
        #expect(cm.logins.count == 1, "same poll: no second attempt")
        clock.advance(by: .seconds(2))
        #expect(throws: CMError.self) { try tokens.token(deadline: clock.now + .seconds(10)) }
        #expect(cm.logins.count == 2, "the next poll tries again")
    }

    @Test("no credentials at all is an auth error without a request")
    func noCredentials() throws {
        let cm = try FakeCM()
        defer { cm.shutdown() }
        let client = Fixture.client(cm, credentials: CMCredentials(username: "metrics"))
        let error = Fixture.failure {
            try client.listJobs(Fixture.aws, deadline: Fixture.deadline())
        }
        #expect(error?.reason == .auth)
        #expect(cm.log.isEmpty)
    }
}
