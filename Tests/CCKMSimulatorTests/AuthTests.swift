import CCKMSimulator
import Foundation
import Testing

@Suite("Login and tokens")
struct AuthTests {
    @Test("the password grant answers a JWT-shaped token, its duration, Bearer and a refresh token")
    func passwordGrant() throws {
        let harness = try SimulatorHarness { $0.tokenLifetimeSeconds = 120 }
        defer { harness.stop() }
        let reply = try harness.send(
            "POST", "/api/v1/auth/tokens",
            body:
                #"{"grant_type":"password","username":"admin","password":"admin","domain":"root"}"#)
        #expect(reply.status == 200)
        let jwt = try #require(reply.object["jwt"] as? String)
        #expect(jwt.split(separator: ".").count == 3)
        #expect(reply.object["duration"] as? Int == 120)
        #expect(reply.object["token_type"] as? String == "Bearer")
        #expect((reply.object["client_id"] as? String)?.isEmpty == false)
        #expect((reply.object["refresh_token"] as? String)?.isEmpty == false)
        #expect(try harness.page(token: jwt).status == 200)
    }

    @Test("the refresh-token grant answers a working JWT and no new refresh token")
    func refreshGrant() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let first = try harness.send(
            "POST", "/api/v1/auth/tokens",
            body: #"{"grant_type":"password","username":"admin","password":"admin"}"#)
        let refresh = try #require(first.object["refresh_token"] as? String)
        let reply = try harness.send(
            "POST", "/api/v1/auth/tokens",
            body: #"{"grant_type":"refresh_token","refresh_token":"\#(refresh)"}"#)
        #expect(reply.status == 200)
        #expect(reply.object["refresh_token"] == nil)
        let jwt = try #require(reply.object["jwt"] as? String)
        #expect(try harness.page(token: jwt).status == 200)
        #expect(harness.simulator.stats().logins == ["password": 1, "refresh_token": 1])
    }

    @Test("a configured refresh token works without any password login")
    func presetRefreshToken() throws {
        let harness = try SimulatorHarness { $0.refreshTokens = ["preset-token"] }
        defer { harness.stop() }
        let reply = try harness.send(
            "POST", "/api/v1/auth/tokens",
            body: #"{"grant_type":"refresh_token","refresh_token":"preset-token"}"#)
        #expect(reply.status == 200)
    }

    @Test("wrong credentials get 401 with CipherTrust's error body")
    func badPassword() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let reply = try harness.send(
            "POST", "/api/v1/auth/tokens",
            body: #"{"grant_type":"password","username":"admin","password":"wrong"}"#)
        #expect(reply.status == 401)
        #expect(reply.object["code"] as? Int == 5)
        #expect(reply.object["codeDesc"] as? String == "NCERRUnauthorizedAccess")
        #expect(reply.object["message"] as? String == "Invalid user credentials")
        #expect((reply.object["requestID"] as? String)?.count == 36)
        #expect(!reply.text.contains("wrong"))
        let unknownRefresh = try harness.send(
            "POST", "/api/v1/auth/tokens",
            body: #"{"grant_type":"refresh_token","refresh_token":"nope"}"#)
        #expect(unknownRefresh.status == 401)
        #expect(harness.simulator.stats().rejectedLogins == 2)
    }

    @Test("malformed or incomplete login bodies get 400 with the error shape")
    func malformedBodies() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        for body in [
            "{bad", "", "[1]", #"{"grant_type":"password"}"#, #"{"grant_type":"magic"}"#,
            #"{"grant_type":"password","username":1,"password":"admin"}"#,
        ] {
            let reply = try harness.send("POST", "/api/v1/auth/tokens", body: body)
            #expect(reply.status == 400, "body \(body)")
            #expect(reply.object["codeDesc"] as? String == "NCERRInvalidParamValue", "body \(body)")
        }
    }

    @Test("a listing without, with an unknown or with an expired token gets 401")
    func unauthorizedListing() throws {
        let harness = try SimulatorHarness { $0.tokenLifetimeSeconds = 1 }
        defer { harness.stop() }
        let missing = try harness.send("GET", "/api/v1/cckm/aws/synchronization-jobs")
        #expect(missing.status == 401)
        #expect(missing.object["code"] as? Int == 5)
        #expect(try harness.page(token: "a.b.c").status == 401)

        let jwt = try harness.login()
        harness.clock.advance(by: 0.5)
        #expect(try harness.page(token: jwt).status == 200)
        harness.clock.advance(by: 0.5)
        let justExpired = try harness.page(token: jwt)
        #expect(justExpired.status == 401)
        harness.clock.advance(by: 50)
        let expired = try harness.page(token: jwt)
        #expect(expired.status == 401)
        #expect(expired.object["codeDesc"] as? String == "NCERRUnauthorizedAccess")
        #expect(expired.object["message"] as? String == "Token is expired by 50s")
        #expect(harness.simulator.stats().unauthorizedRequests == 4)
    }

    @Test("expireTokens ends every session; a new login works")
    func expireTokens() throws {
        let harness = try SimulatorHarness()
        defer { harness.stop() }
        let jwt = try harness.login()
        harness.simulator.expireTokens()
        #expect(try harness.page(token: jwt).status == 401)
        #expect(try harness.page(token: harness.login()).status == 200)
    }
}
