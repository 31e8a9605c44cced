import CCKMClient
import Foundation
import HTTPServer
import TestSupport
import Testing
import WebToolkit

/// Basic auth with real bcrypt hashes over real sockets: 401 with a challenge, every path
/// protected, `/-/healthy` open only when configured, unknown users as slow as wrong
/// passwords, successes cached, headers applied.
@Suite("Web config: basic auth and headers")
struct WebConfigAuthTests {
    private static let users = [
        BcryptFixture.quick.user: BcryptFixture.quick.hash,
        BcryptFixture.bPrefix.user: BcryptFixture.bPrefix.hash,
        BcryptFixture.aPrefix.user: BcryptFixture.aPrefix.hash,
    ]

    @Test("no or wrong credentials get 401 with WWW-Authenticate; right ones get through")
    func challenge() throws {
        let server = try GatedServer(WebConfig(basicAuthUsers: Self.users))
        let refused = try server.get("/metrics").get()
        #expect(refused.status == 401)
        for (user, password) in [("quick", "wrong"), ("nobody", "quick pass"), ("quick", ""), ("", "")] {
            #expect(server.status("/metrics", headers: [BcryptFixture.header(user, password)]) == 401)
        }
        #expect(server.status("/metrics", headers: ["Authorization: Bearer abc"]) == 401)
        #expect(server.status("/metrics", headers: ["Authorization: Basic !!notbase64"]) == 401)
        for fixture in [BcryptFixture.quick, BcryptFixture.bPrefix, BcryptFixture.aPrefix] {
            #expect(
                server.status("/metrics", headers: [BcryptFixture.header(fixture.user, fixture.password)])
                    == 200,
                "\(fixture.hash.prefix(4))")
        }
    }

    @Test("the challenge names the realm the server gives, and none without one")
    func realm() throws {
        for (realm, challenge) in [
            ("cckm_exporter", #"WWW-Authenticate: Basic realm="cckm_exporter", charset="UTF-8""#),
            (nil, #"WWW-Authenticate: Basic charset="UTF-8""#),
        ] {
            let server = try GatedServer(WebConfig(basicAuthUsers: Self.users), realm: realm)
            let answer = try #require(
                RawSocket.exchange(
                    port: server.port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
            #expect(answer.hasPrefix("HTTP/1.1 401"))
            #expect(answer.contains(challenge + "\r\n"), "\(answer)")
        }
    }

    @Test("every path is protected, unknown ones too; /-/healthy only opens when configured")
    func everyPath() throws {
        let closed = try GatedServer(WebConfig(basicAuthUsers: Self.users))
        for path in ["/", "/metrics", "/-/healthy", "/-/ready", "/-/reload", "/nope", "/-/healthy/x"] {
            #expect(closed.status(path) == 401, "\(path)")
        }
        let open = try GatedServer(WebConfig(basicAuthUsers: Self.users, healthyWithoutAuth: true))
        #expect(open.status("/-/healthy") == 200)
        for path in ["/", "/metrics", "/-/ready", "/-/healthy/", "/-/healthy/x", "/nope"] {
            #expect(open.status(path) == 401, "\(path)")
        }
    }

    @Test("an unknown user costs a bcrypt run like a known one with a wrong password")
    func unknownUserTiming() throws {
        let verifier = BasicAuthVerifier()
        let users = [BcryptFixture.prometheus.user: BcryptFixture.prometheus.hash]  // cost 10
        func elapsed(_ user: String, _ password: String) -> Duration {
            let header = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
            let clock = ContinuousClock()
            return clock.measure { #expect(!verifier.verify(authorization: header, users: users)) }
        }
        // New passwords each time: a failure is cached too, and a cached one costs no bcrypt.
        // Interleaved, so that load from other suites on this machine hits both alike.
        var wrongPasswords: [Duration] = []
        var unknownUsers: [Duration] = []
        for index in 0..<5 {
            wrongPasswords.append(elapsed("prometheus", "wrong \(index)"))
            unknownUsers.append(elapsed("mallory", "wrong \(index)"))
        }
        let wrongPassword = wrongPasswords.min()!
        let unknownUser = unknownUsers.min()!
        #expect(verifier.bcryptRuns == 10)
        let ratio = unknownUser / wrongPassword
        #expect(ratio > 0.5 && ratio < 2, "unknown \(unknownUser) vs wrong password \(wrongPassword)")
    }

    @Test("a success is cached, keyed by the password: a wrong one is checked (once)")
    func cache() throws {
        let verifier = BasicAuthVerifier(cacheTTL: .seconds(60))
        let right = "Basic " + Data("quick:quick pass".utf8).base64EncodedString()
        let wrong = "Basic " + Data("quick:quick pasS".utf8).base64EncodedString()
        #expect(verifier.verify(authorization: right, users: Self.users))
        #expect(verifier.verify(authorization: right, users: Self.users))
        #expect(verifier.bcryptRuns == 1)
        #expect(!verifier.verify(authorization: wrong, users: Self.users))
        #expect(!verifier.verify(authorization: wrong, users: Self.users))
        #expect(verifier.bcryptRuns == 2)
        // A new hash for the user (a reload) is a new key: checked again, and refused.
        #expect(!verifier.verify(authorization: right, users: ["quick": BcryptFixture.bPrefix.hash]))
        // A removed user is refused at once, cache or not.
        #expect(!verifier.verify(authorization: right, users: [:]))
    }

    @Test("a cached success expires cacheTTL after its last use, not before")
    func cacheExpiry() throws {
        let clock = ManualInstantClock()
        let verifier = BasicAuthVerifier(cacheTTL: .seconds(60), now: clock.reader)
        let right = "Basic " + Data("quick:quick pass".utf8).base64EncodedString()
        #expect(verifier.verify(authorization: right, users: Self.users))
        clock.advance(by: .seconds(59))
        #expect(verifier.verify(authorization: right, users: Self.users))
        clock.advance(by: .seconds(59))
        #expect(verifier.verify(authorization: right, users: Self.users))
        #expect(verifier.bcryptRuns == 1, "still cached: used every 59 s")
        clock.advance(by: .seconds(61))
        #expect(verifier.verify(authorization: right, users: Self.users))
        #expect(verifier.bcryptRuns == 2, "checked again 61 s after the last use")
    }

    @Test("configured headers are added, replacing the server's own of the same name, on 401 too")
    func headers() throws {
        let config = WebConfig(
            headers: [
                WebHeader(name: "X-Frame-Options", value: "deny"),
                WebHeader(name: "Content-Security-Policy", value: "default-src 'none'"),
            ],
            basicAuthUsers: Self.users)
        let server = try GatedServer(config)
        let refused = try #require(
            RawSocket.exchange(port: server.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        #expect(refused.contains("X-Frame-Options: deny"))
        #expect(refused.contains("Content-Security-Policy: default-src 'none'"))
        let gate = WebConfigGate(
            config: WebConfig(headers: [WebHeader(name: "X-Content-Type-Options", value: "nosniff")]),
            next: { _ in HTTPResponse(status: 200, headers: [("x-content-type-options", "nosniff")]) })
        let response = gate.handle(HTTPRequest(method: "GET", path: "/"))
        #expect(response.headers.filter { $0.name.lowercased() == "x-content-type-options" }.count == 1)
    }

    @Test("the password never shows in the verifier's state or the config's description")
    func noSecretsKept() throws {
        let config = WebConfig(basicAuthUsers: Self.users)
        #expect(!"\(config)".contains("$2"))
        #expect(!"\(config)".contains("quick pass"))
    }
}
