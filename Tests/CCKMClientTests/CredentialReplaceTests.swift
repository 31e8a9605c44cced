import CCKMSimulator
import TestSupport
import Testing
import TextSafety

@testable import CCKMClient

/// A reload that changes only credentials hands them to the running token provider
/// (``TokenProvider/replace(_:)``): the next request logs in with them at once, without
/// waiting for the JWT to age, and the new secret is scrubbed like the old one.
@Suite("Credentials replaced by a reload")
struct CredentialReplaceTests {
    @Test("the next request logs in with the replaced password; both passwords stay secrets")
    func nextLoginUsesTheNewPassword() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        let tokens = Fixture.tokens(simulator.baseURL, clock: ManualInstantClock())
        let before = try tokens.jwt(deadline: Fixture.deadline())
        simulator.changePassword("r3loaded-Pa55")
        simulator.revokeRefreshTokens()
        var replaced = Fixture.passwordCredentials
        replaced.password = "r3loaded-Pa55"
        tokens.replace(replaced)
        let after = try tokens.jwt(deadline: Fixture.deadline())
        #expect(after != before, "a new login, not the old JWT")
        #expect(simulator.stats().logins["password"] == 2, "the replaced password was used")
        for secret in [Fixture.password, "r3loaded-Pa55"] {
            #expect(!SecretRegistry.shared.scrub(secret).contains(secret))
        }
        tokens.replace(replaced)  // the same credentials again: nothing to do
        #expect(try tokens.jwt(deadline: Fixture.deadline()) == after)
    }

    @Test("a password file a reload already read is no change at the next look (one log line, not two)")
    func reloadedFileIsNoChange() throws {
        let simulator = try Fixture.simulator()
        defer { simulator.shutdown() }
        let pki = try TestPKI()
        let passwordFile = try pki.write("password", Fixture.password + "\n")
        let events = EventRecorder()
        let tokens = Fixture.watchingTokens(
            simulator.baseURL, passwordFile: passwordFile, clock: ManualInstantClock(), events: events)
        _ = try tokens.jwt(deadline: Fixture.deadline())
        simulator.changePassword("r3loaded-Pa55")
        simulator.revokeRefreshTokens()
        try pki.write("password", "r3loaded-Pa55\n")
        var replaced = Fixture.passwordCredentials
        replaced.password = "r3loaded-Pa55"
        tokens.replace(replaced)  // the reload read the rewritten file
        _ = try tokens.jwt(deadline: Fixture.deadline())
        #expect(simulator.stats().logins["password"] == 2)
        #expect(events.rereads.isEmpty, "the reload's read was reported already")
    }
}
