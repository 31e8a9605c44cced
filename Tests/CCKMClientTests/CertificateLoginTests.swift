import CCKMSimulator
import Foundation
import Synchronization
import TestSupport
import Testing
import TextSafety
import WebToolkit

@testable import CCKMClient

/// The certificate grants against the simulator over real mutual TLS: `client_credential`
/// (no refresh token: each renewal is one new login) and `user_certificate` (renewed with
/// the refresh token it returns), the files rotated in place, refused certificates.
@Suite("Certificate logins and credentials rotated in place")
struct CertificateLoginTests {
    /// A simulator serving the CM certificate and asking for client certificates of `ca`.
    private func simulator(_ certs: ClientCertificatePKI, clock: ManualClock, lifetime: Int = 10) throws
        -> CCKMSimulator
    {
        try Fixture.simulator(clock: clock) {
            $0.tokenLifetimeSeconds = lifetime
            $0.web = try! certs.simulatorWeb()
        }
    }

    private func advance(_ seconds: Int64, _ simulatorClock: ManualClock, _ clock: ManualInstantClock) {
        simulatorClock.advance(by: Double(seconds))
        clock.advance(by: .seconds(seconds))
    }

    @Test("client_credential: the body is the grant alone; a JWT and no refresh token; one login per renewal")
    func clientCredentialRenewsByLoggingIn() throws {
        let certs = try ClientCertificatePKI()
        let simulatorClock = ManualClock()
        let clock = ManualInstantClock()
        let simulator = try simulator(certs, clock: simulatorClock)
        defer { simulator.shutdown() }
        #expect(
            String(decoding: LoginGrant.clientCredential.body, as: UTF8.self)
                == #"{"grant_type":"client_credential"}"#)
        let tokens = certs.tokens(simulator, grant: .clientCredential, clock: clock)
        var jwts: Set<String> = []
        for round in 1...4 {
            jwts.insert(try tokens.jwt(deadline: Fixture.deadline()))
            _ = try tokens.jwt(deadline: Fixture.deadline())  // still fresh: no login
            #expect(simulator.stats().logins == ["client_credential": round])
            advance(9, simulatorClock, clock)  // past 80 % of the 10 s lifetime
        }
        #expect(jwts.count == 4)
        #expect(tokens.secretsInUse.count == 1, "a JWT and no refresh token")
        let serial = try certs.serial("client1")
        #expect(tokens.clientCertificate?.serial == serial)
        #expect(simulator.stats().certificateLoginSerials == Array(repeating: serial, count: 4))
        let keyLines = try certs.pki.text("client.key").split(separator: "\n").filter {
            !$0.hasPrefix("-----")
        }
        #expect(!keyLines.isEmpty)
        for line in keyLines {
            #expect(!SecretRegistry.shared.scrub(String(line)).contains(line), "the key's bytes are secrets")
        }
    }

    @Test("an encrypted key is presented with its password (and the password is a secret)")
    func encryptedKey() throws {
        let certs = try ClientCertificatePKI()
        let simulator = try simulator(certs, clock: ManualClock())
        defer { simulator.shutdown() }
        let key = try certs.encryptedKey("client1", password: "k3y-Pa55-w0rd")
        func login(password: String) throws -> (error: CMError?, scrubbed: Bool) {
            let passwordFile = try certs.pki.write("keypass-\(password)", password + "\n")
            let settings = HTTPTransport.Settings(
                caFile: certs.pki.path("ca.pem"), clientCertificateFile: certs.certificateFile,
                clientKeyFile: key, clientKeyPassword: password)
            let tokens = TokenProvider(
                sender: RequestSender(
                    transports: TransportSlot(HTTPTransport(settings: settings)), baseURL: simulator.baseURL,
                    retryPolicy: Fixture.quickRetries, onRequest: { _, _ in }),
                credentials: CMCredentials(grant: .clientCredential),
                files: CredentialFiles(
                    certificateFile: certs.certificateFile, keyFile: key, keyPasswordFile: passwordFile))
            let error = Fixture.failure { try tokens.jwt(deadline: Fixture.deadline()) }
            return (error, !SecretRegistry.shared.scrub("k3y-Pa55-w0rd").contains("k3y-Pa55-w0rd"))
        }
        let good = try login(password: "k3y-Pa55-w0rd")
        #expect(good.error == nil)
        #expect(good.scrubbed, "the key password read from its file is a secret while the provider lives")
        #expect(try login(password: "wrong").error?.reason == .tls)
        #expect(simulator.stats().logins == ["client_credential": 1])
    }

    @Test("user_certificate: logs the user in and renews with the refresh token it answered")
    func userCertificateRenewsWithItsRefreshToken() throws {
        let certs = try ClientCertificatePKI()
        let simulatorClock = ManualClock()
        let clock = ManualInstantClock()
        let simulator = try simulator(certs, clock: simulatorClock)
        defer { simulator.shutdown() }
        let body = String(
            decoding: LoginGrant.userCertificate(domain: "root", authDomain: nil).body, as: UTF8.self)
        #expect(body == #"{"grant_type":"user_certificate","domain":"root"}"#)
        let tokens = certs.tokens(
            simulator, grant: .userCertificate, credentials: CMCredentials(domain: "root"),
            clock: clock)
        _ = try tokens.jwt(deadline: Fixture.deadline())
        advance(9, simulatorClock, clock)
        _ = try tokens.jwt(deadline: Fixture.deadline())
        #expect(simulator.stats().logins == ["user_certificate": 1, "refresh_token": 1])
    }

    @Test("no certificate, an expired one, or one of an unknown CA: refused (auth) with CM's error body")
    func refusedCertificates() throws {
        let certs = try ClientCertificatePKI()
        let simulator = try simulator(certs, clock: ManualClock())
        defer { simulator.shutdown() }
        let noCertificate = TokenProvider(
            sender: RequestSender(
                transports: TransportSlot(HTTPTransport(settings: .init(caFile: certs.pki.path("ca.pem")))),
                baseURL: simulator.baseURL, retryPolicy: Fixture.quickRetries, onRequest: { _, _ in }),
            credentials: CMCredentials(grant: .clientCredential))
        let refused = Fixture.failure { try noCertificate.jwt(deadline: Fixture.deadline()) }
        #expect(refused?.reason == .auth)
        #expect(
            refused?.message.contains("NCERRUnauthorizedAccess") == true, "\(String(describing: refused))")
        for name in ["expired", "stranger"] {
            try certs.install(name)
            let tokens = certs.tokens(simulator, grant: .clientCredential, clock: ManualInstantClock())
            let error = Fixture.failure { try tokens.jwt(deadline: Fixture.deadline()) }
            #expect(error != nil, "\(name) was accepted")
        }
        #expect(simulator.stats().logins.isEmpty)
    }

    @Test("certificate rotated in place: the next login goes on a new connection with the new certificate")
    func rotationPresentsTheNewCertificate() throws {
        let certs = try ClientCertificatePKI()
        let simulatorClock = ManualClock()
        let clock = ManualInstantClock()
        let simulator = try simulator(certs, clock: simulatorClock)
        defer { simulator.shutdown() }
        let events = EventRecorder()
        let tokens = certs.tokens(simulator, grant: .clientCredential, clock: clock, events: events)
        _ = try tokens.jwt(deadline: Fixture.deadline())
        for (name, inPlace) in [("client2", false), ("client1", true)] {
            try certs.install(name, inPlace: inPlace)
            let rereadsBefore = events.rereads.count
            _ = try tokens.jwt(deadline: Fixture.deadline())  // the JWT is fresh: no login, no look
            #expect(events.rereads.count == rereadsBefore)
            advance(9, simulatorClock, clock)
            _ = try tokens.jwt(deadline: Fixture.deadline())
            let serial = try certs.serial(name)
            #expect(tokens.clientCertificate?.serial == serial)
            #expect(events.rereads.last?.what == ["client certificate"])
            #expect(events.rereads.last?.certificate?.serial == serial)
            #expect(simulator.stats().certificateLoginSerials.last == serial, "CM saw the new certificate")
        }
        #expect(simulator.stats().logins == ["client_credential": 3])
        let expected = try ["client1", "client2", "client1"].map { try certs.serial($0) }
        #expect(simulator.stats().certificateLoginSerials == expected)
    }

    @Test(
        "password rotated in place after the refresh token was revoked: refused once a retry interval, then the new password"
    )
    func passwordRotation() throws {
        let simulatorClock = ManualClock()
        let clock = ManualInstantClock()
        let simulator = try Fixture.simulator(clock: simulatorClock) { $0.tokenLifetimeSeconds = 10 }
        defer { simulator.shutdown() }
        let pki = try TestPKI()
        let passwordFile = try pki.write("password", Fixture.password + "\n")
        let events = EventRecorder()
        let tokens = Fixture.watchingTokens(
            simulator.baseURL, passwordFile: passwordFile, retryInterval: .seconds(30), clock: clock,
            events: events)
        _ = try tokens.jwt(deadline: Fixture.deadline())
        simulator.changePassword("n3w-Pa55word")
        simulator.revokeRefreshTokens()
        advance(11, simulatorClock, clock)  // the JWT expired
        let refused = Fixture.failure { try tokens.jwt(deadline: Fixture.deadline()) }
        #expect(refused?.reason == .auth)
        #expect(simulator.stats().rejectedLogins == 2, "the refresh token, then the old password")
        #expect(events.refusals == 1)
        advance(10, simulatorClock, clock)
        #expect(Fixture.failure { try tokens.jwt(deadline: Fixture.deadline()) }?.reason == .auth)
        #expect(simulator.stats().rejectedLogins == 2, "no second try within the retry interval")
        try pki.write("password", "n3w-Pa55word\n")
        _ = try tokens.jwt(deadline: Fixture.deadline())
        #expect(simulator.stats().logins["password"] == 2)
        #expect(events.rereads.last?.what == ["password"])
        #expect(
            !SecretRegistry.shared.scrub("n3w-Pa55word").contains("n3w-Pa55word"),
            "the new password is a secret")
    }
}

/// What a token provider reported through `onEvent`.
final class EventRecorder: Sendable {
    private let events = Mutex<[CredentialEvent]>([])

    var hook: @Sendable (CredentialEvent) -> Void { { event in self.events.withLock { $0.append(event) } } }

    /// The re-reads reported, oldest first.
    var rereads: [(what: [String], certificate: ClientCertificateInfo?)] {
        events.withLock {
            $0.compactMap {
                if case .reread(let what, let certificate) = $0 { return (what, certificate) }
                return nil
            }
        }
    }

    /// Every event reported, oldest first.
    var all: [CredentialEvent] { events.withLock { $0 } }

    /// Refused logins reported.
    var refusals: Int {
        events.withLock { $0.filter { if case .loginRefused = $0 { true } else { false } }.count }
    }
}

extension Fixture {
    /// A token provider logging in with ``passwordCredentials`` and watching `passwordFile` for
    /// rotation in place, on `clock`.
    static func watchingTokens(
        _ baseURL: String, passwordFile: String, retryInterval: Duration = .zero, clock: ManualInstantClock,
        events: EventRecorder
    ) -> TokenProvider {
        TokenProvider(
            sender: RequestSender(
                transports: TransportSlot(HTTPTransport()), baseURL: baseURL, retryPolicy: quickRetries,
                onRequest: { _, _ in }),
            credentials: passwordCredentials, files: CredentialFiles(passwordFile: passwordFile),
            loginRetryInterval: retryInterval, onEvent: events.hook, now: clock.reader)
    }
}

extension ClientCertificatePKI {
    /// A token provider presenting the rotating client files to `simulator`, on `clock`.
    func tokens(
        _ simulator: CCKMSimulator, grant: LoginMethod?, credentials: CMCredentials = CMCredentials(),
        files: CredentialFiles? = nil, clock: ManualInstantClock, retryInterval: Duration = .zero,
        events: EventRecorder = EventRecorder()
    ) -> TokenProvider {
        var credentials = credentials
        credentials.grant = grant
        let settings = HTTPTransport.Settings(
            caFile: pki.path("ca.pem"), clientCertificateFile: certificateFile, clientKeyFile: keyFile)
        return TokenProvider(
            sender: RequestSender(
                transports: TransportSlot(HTTPTransport(settings: settings)), baseURL: simulator.baseURL,
                retryPolicy: Fixture.quickRetries, onRequest: { _, _ in }),
            credentials: credentials,
            files: files ?? CredentialFiles(certificateFile: certificateFile, keyFile: keyFile),
            loginRetryInterval: retryInterval, onEvent: events.hook, now: clock.reader)
    }

    /// The simulator's web configuration as a CM asking for client certificates: the `cm`
    /// certificate, `client_auth_type: RequestClientCert` with the test CA as `client_ca_file`
    /// (every request admitted; the login handler answers CM's 401 for a certificate that is
    /// missing or does not verify).
    func simulatorWeb() throws -> WebConfig {
        WebConfig(
            tls: WebTLSConfig(
                certificatePEM: try pki.text("cm.pem"), keyPEM: try pki.text("cm.key"),
                clientCAPEM: try pki.text("ca.pem"), clientAuth: .requestClientCert))
    }
}
