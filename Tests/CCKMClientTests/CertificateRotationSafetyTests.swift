import CCKMSimulator
import Foundation
import TestSupport
import Testing
import TextSafety

@testable import CCKMClient

/// A client certificate rotation that is not (yet) a usable pair — a half-written file, a
/// certificate whose key has not arrived, files gone during a Secret's symlink swap — must not
/// break the working login: the last good pair, held in memory, stays presented.
@Suite("Client certificate rotations that must not break the login")
struct CertificateRotationSafetyTests {
    /// A simulator asking for `certs`' client certificates and handing out 10 s tokens, its clock
    /// and the token provider's.
    private func shortLivedTokens(_ certs: ClientCertificatePKI) throws
        -> (CCKMSimulator, ManualClock, ManualInstantClock)
    {
        let simulatorClock = ManualClock()
        let simulator = try Fixture.simulator(clock: simulatorClock) {
            $0.tokenLifetimeSeconds = 10
            $0.web = try! certs.simulatorWeb()
        }
        return (simulator, simulatorClock, ManualInstantClock())
    }

    @Test(
        "a certificate whose key has not arrived is refused; the last good pair stays; the full pair is taken"
    )
    func mismatchedRotationKeepsTheLastGoodPair() throws {
        let certs = try ClientCertificatePKI()
        let (simulator, simulatorClock, clock) = try shortLivedTokens(certs)
        defer { simulator.shutdown() }
        let events = EventRecorder()
        let tokens = certs.tokens(simulator, grant: .clientCredential, clock: clock, events: events)
        let first = try certs.serial("client1")
        let second = try certs.serial("client2")
        _ = try tokens.jwt(deadline: Fixture.deadline())
        // The certificate is rotated, the key is not yet (a writer replacing one file at a time).
        try certs.pki.write("client.pem", try certs.pki.text("client2.pem"))
        simulatorClock.advance(by: 11)
        clock.advance(by: .seconds(11))  // the JWT expired: the next request must log in
        _ = try tokens.jwt(deadline: Fixture.deadline())
        #expect(simulator.stats().certificateLoginSerials == [first, first], "the last good pair went on")
        #expect(tokens.clientCertificate?.serial == first, "the expiry metric follows the pair presented")
        #expect(events.certificateRefusals == [.mismatch])
        // The key arrives: the pair is whole and is presented from the next login on.
        try certs.pki.write("client.key", try certs.pki.text("client2.key"))
        simulatorClock.advance(by: 11)
        clock.advance(by: .seconds(11))
        _ = try tokens.jwt(deadline: Fixture.deadline())
        #expect(simulator.stats().certificateLoginSerials == [first, first, second])
        #expect(tokens.clientCertificate?.serial == second)
        #expect(events.rereads.last?.what == ["client certificate"])
        #expect(events.certificateRefusals == [.mismatch], "one warning per bad rotation, not one per login")
    }

    @Test("a key password rotated to one that does not decrypt the key is refused; the login goes on")
    func wrongKeyPasswordRotation() throws {
        let certs = try ClientCertificatePKI()
        let (simulator, simulatorClock, clock) = try shortLivedTokens(certs)
        defer { simulator.shutdown() }
        let encrypted = try certs.encryptedKey("client1", password: "k3y-Pa55-w0rd")
        try certs.pki.write("client.key", try String(contentsOfFile: encrypted, encoding: .utf8))
        let passwordFile = try certs.pki.write("keypass", "k3y-Pa55-w0rd\n")
        let events = EventRecorder()
        let tokens = certs.tokens(
            simulator, grant: .clientCredential,
            files: CredentialFiles(
                certificateFile: certs.certificateFile, keyFile: certs.keyFile, keyPasswordFile: passwordFile),
            clock: clock, events: events)
        _ = try tokens.jwt(deadline: Fixture.deadline())
        try certs.pki.write("keypass", "wr0ng-Pa55\n")
        simulatorClock.advance(by: 11)
        clock.advance(by: .seconds(11))
        _ = try tokens.jwt(deadline: Fixture.deadline())
        #expect(simulator.stats().certificateLoginSerials.count == 2, "the last good key went on")
        #expect(events.certificateRefusals == [.wrongPassword])
        #expect(
            !SecretRegistry.shared.scrub("wr0ng-Pa55").contains("wr0ng-Pa55"),
            "a wrong key password is a secret too")
    }

    @Test("a rotation to an expired certificate (with its own key) is refused; the login goes on")
    func expiredRotation() throws {
        let certs = try ClientCertificatePKI()
        let (simulator, simulatorClock, clock) = try shortLivedTokens(certs)
        defer { simulator.shutdown() }
        let events = EventRecorder()
        let tokens = certs.tokens(simulator, grant: .clientCredential, clock: clock, events: events)
        _ = try tokens.jwt(deadline: Fixture.deadline())
        try certs.install("expired")
        simulatorClock.advance(by: 11)
        clock.advance(by: .seconds(11))
        _ = try tokens.jwt(deadline: Fixture.deadline())
        let first = try certs.serial("client1")
        #expect(simulator.stats().certificateLoginSerials == [first, first])
        #expect(events.certificateRefusals == [.expired])
        #expect(tokens.clientCertificate?.serial == first)
    }

    @Test("the pair is presented from memory: files gone during a symlink swap do not break a new connection")
    func filesGoneDuringASwap() throws {
        let certs = try ClientCertificatePKI()
        let simulator = try Fixture.simulator(clock: ManualClock()) { $0.web = try! certs.simulatorWeb() }
        defer { simulator.shutdown() }
        let events = EventRecorder()
        let tokens = certs.tokens(
            simulator, grant: .clientCredential, clock: ManualInstantClock(), events: events)
        try FileManager.default.removeItem(atPath: certs.certificateFile)
        try FileManager.default.removeItem(atPath: certs.keyFile)
        _ = try tokens.jwt(deadline: Fixture.deadline())  // the first connection: a new TLS handshake
        #expect(simulator.stats().certificateLoginSerials == [try certs.serial("client1")])
        #expect(events.rereads.isEmpty && events.certificateRefusals.isEmpty)
    }

    @Test("the transport settings never show the key password or the key's bytes")
    func settingsHideSecrets() {
        let settings = HTTPTransport.Settings(
            clientCertificateFile: "/c.pem", clientKeyFile: "/c.key", clientKeyPassword: "k3y-Pa55-w0rd",
            clientCertificatePEM: Array("CERTIFICATE-BYTES".utf8),
            clientKeyPEM: Array("PRIVATE-KEY-BYTES".utf8))
        var dumped = ""
        dump(settings, to: &dumped)
        for text in [String(describing: settings), String(reflecting: settings), dumped] {
            #expect(!text.contains("k3y-Pa55-w0rd"), "\(text)")
            #expect(!text.contains("PRIVATE-KEY-BYTES"), "\(text)")
        }
        #expect(String(describing: settings).contains("/c.key"), "the paths are no secret")
        let pair = ClientKeyPair(
            certificate: Array("CERTIFICATE-BYTES".utf8), key: Array("PRIVATE-KEY-BYTES".utf8),
            password: "k3y-Pa55-w0rd")
        var pairDump = ""
        dump(pair, to: &pairDump)
        for text in [String(describing: pair), String(reflecting: pair), pairDump] {
            #expect(!text.contains("k3y-Pa55-w0rd") && !text.contains("80, 82, 73, 86"), "\(text)")
        }
    }
}

extension EventRecorder {
    /// The client certificate rotations refused, oldest first.
    var certificateRefusals: [ClientKeyProblem] {
        all.compactMap { if case .clientCertificateRefused(let problem, _) = $0 { problem } else { nil } }
    }
}

@Suite("What of a private key the scrubber learns")
struct KeySecretsTests {
    @Test("the key's base64 body, not the PEM lines every key shares")
    func bodyNotBoilerplate() throws {
        let certs = try ClientCertificatePKI()
        let encrypted = try certs.encryptedKey("client1", password: "k3y-Pa55-w0rd")
        for path in [certs.keyFile, encrypted] {
            let pem = try String(contentsOfFile: path, encoding: .utf8)
            let secrets = CredentialWatch.keySecrets(Array(pem.utf8))
            let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }
            #expect(!body.isEmpty)
            for line in body {
                #expect(secrets.contains { $0.contains(line) }, "\(line) is no secret")
            }
            let scrubber = SecretScrubber(secrets: secrets)
            for shared in ["-----", "BEGIN PRIVATE KEY", "END ENCRYPTED"] {
                #expect(scrubber.scrub("a line with \(shared) in it") == "a line with \(shared) in it")
            }
        }
    }
}
