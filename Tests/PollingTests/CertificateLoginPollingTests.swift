import CCKMClient
import CCKMSimulator
import Foundation
import JobMetrics
import Logging
import TestSupport
import Testing
import WebToolkit

@testable import ExporterConfig
@testable import Polling

/// The issue's end-to-end runs, in process: a poller configured from YAML polls the simulator
/// over real mutual TLS with each certificate grant, renews across short-lived JWTs with one
/// login each, and survives the certificate files rotated in place (no complete walk, no
/// failed poll, CM sees the new serial at the next login); another rotates the password file
/// after the refresh token was revoked. Both clocks are manual and move together.
@Suite("Certificate logins and rotation, end to end")
final class CertificateLoginPollingTests {
    let certs: ClientCertificatePKI
    let simulatorClock = ManualClock()
    let pollerClock = ManualPollerClock()
    let log = LogRecorder()
    let state = ExporterState(build: BuildInfo(version: "test", revision: "test", swiftVersion: "6"))
    let simulator: CCKMSimulator
    /// JWTs live 60 s; polls are 30 s apart.
    static let lifetime = 60

    init() throws {
        certs = try ClientCertificatePKI()
        var configuration = SimulatorConfiguration(
            username: "metrics", password: "initial-Pa55", historyPerListing: 20, newJobIntervalSeconds: 20,
            web: WebConfig(
                tls: WebTLSConfig(
                    certificatePEM: try certs.pki.text("cm.pem"), keyPEM: try certs.pki.text("cm.key"),
                    clientCAPEM: try certs.pki.text("ca.pem"), clientAuth: .requestClientCert)))
        configuration.tokenLifetimeSeconds = Self.lifetime
        simulator = try CCKMSimulator(configuration: configuration, clock: simulatorClock)
    }

    deinit { simulator.shutdown() }

    /// A poller of the simulator's `aws` listing, configured by `auth` and `tls` YAML (the CA
    /// is added to `tls`).
    private func poller(auth: String, tls: String = "") throws -> (CMPoller, ListingPollState) {
        let yaml = """
            targets:
              - name: sim
                url: \(simulator.baseURL)
                auth: {\(auth)}
                tls: {ca_file: \(certs.pki.path("ca.pem"))\(tls.isEmpty ? "" : ", " + tls)}
            """
        let target = try ConfigurationLoader.parse(yaml: yaml, defaults: (.seconds(30), nil)).targets[0]
        let log = self.log
        let poller = CMPoller(
            target: target, pollInterval: .seconds(30), pollTimeout: .seconds(20), owner: 1, state: state,
            logger: Logger(label: "test") { _ in log }, clock: pollerClock)
        return (poller, poller.initialState(Listing.named("aws")!))
    }

    private var certificateFiles: String {
        "client_cert_file: \(certs.certificateFile), client_key_file: \(certs.keyFile)"
    }

    private func advance(seconds: Int64) {
        simulatorClock.advance(by: Double(seconds))
        pollerClock.advance(by: .seconds(seconds))
    }

    /// `count` polls 30 s apart; none may fail.
    private func pollEvery30s(_ poller: CMPoller, _ listing: inout ListingPollState, count: Int) {
        for _ in 0..<count {
            advance(seconds: 30)
            let error = poller.poll(&listing)
            #expect(error == nil, "\(String(describing: error))")
        }
    }

    private var logins: Int { simulator.stats().logins.values.reduce(0, +) }

    @Test(
        "each certificate grant: polls, renews once per JWT, survives a rotation of the files in place",
        arguments: [LoginMethod.clientCredential, .userCertificate])
    func certificateGrant(grant: LoginMethod) throws {
        let (poller, initial) = try poller(
            auth: grant == .clientCredential ? "" : "grant: user_certificate", tls: certificateFiles)
        var listing = initial
        #expect(
            poller.target.auth.grant == grant, "client_credential is the default with a certificate alone")
        #expect(poller.poll(&listing) == nil)
        #expect(log.completeWalks.count == 1)
        #expect(logins == 1)

        // 8 polls over 240 s: the 60 s JWT is renewed at 48 s, ahead of expiry, one login each.
        pollEvery30s(poller, &listing, count: 8)
        let renewals = logins - 1
        #expect((4...5).contains(renewals), "one login per JWT, not per request: \(renewals)")
        #expect(simulator.stats().unauthorizedRequests == 0, "no JWT outlived by a request")
        let first = try certs.serial("client1")
        #expect(simulator.stats().certificateLoginSerials.allSatisfy { $0 == first })
        let expiry = state.snapshot().clientCertificateExpiry["sim"]
        #expect(expiry == poller.client.tokens.clientCertificate?.notAfter && expiry != nil)

        // cert-manager renews the certificate: both files replaced in place.
        try certs.install("client2")
        let loginsBefore = logins
        pollEvery30s(poller, &listing, count: 2)
        #expect(logins > loginsBefore, "a renewal within one JWT lifetime")
        let second = try certs.serial("client2")
        #expect(simulator.stats().certificateLoginSerials.last == second, "CM saw the new certificate")
        #expect(log.completeWalks.count == 1, "no complete walk")
        #expect(log.count("credentials re-read") == 1)
        #expect(poller.client.tokens.clientCertificate?.serial == second)
        let renewed = try #require(poller.client.tokens.clientCertificate?.notAfter)
        #expect(renewed > (expiry ?? .infinity), "client2 is valid a day longer")
        #expect(state.snapshot().clientCertificateExpiry["sim"] == renewed, "the metric follows the rotation")
        let expected =
            grant == .clientCredential ? ["client_credential"] : ["refresh_token", "user_certificate"]
        #expect(simulator.stats().logins.keys.sorted() == expected)
    }

    @Test(
        "a certificate rotated without its key: refused with a warning, polling goes on with the last good pair, the metric stays"
    )
    func refusedRotation() throws {
        let (poller, initial) = try poller(auth: "", tls: certificateFiles)
        var listing = initial
        #expect(poller.poll(&listing) == nil)
        let expiry = state.snapshot().clientCertificateExpiry["sim"]
        #expect(state.snapshot().clientCertificateRotationRefused["sim"] == false)
        try certs.pki.write("client.pem", try certs.pki.text("client2.pem"))  // the key not yet
        pollEvery30s(poller, &listing, count: 4)  // two JWT lifetimes: logins with the old pair
        #expect(log.count("client certificate rotation refused") == 1)
        #expect(log.count("credentials re-read") == 0)
        #expect(state.snapshot().clientCertificateExpiry["sim"] == expiry)
        #expect(state.snapshot().clientCertificateRotationRefused["sim"] == true, "the refusal is a metric")
        let first = try certs.serial("client1")
        #expect(simulator.stats().certificateLoginSerials.count >= 2)
        #expect(simulator.stats().certificateLoginSerials.allSatisfy { $0 == first })
        #expect(log.completeWalks.count == 1)

        // The key arrives: the pair is good again, and the gauge says so.
        try certs.install("client2")
        pollEvery30s(poller, &listing, count: 2)
        #expect(log.count("credentials re-read") == 1)
        #expect(state.snapshot().clientCertificateRotationRefused["sim"] == false)
        #expect(simulator.stats().certificateLoginSerials.last == (try certs.serial("client2")))
    }

    @Test(
        "the password file rotated after the refresh token was revoked: polling goes on with the new password"
    )
    func passwordRotation() throws {
        let passwordFile = try certs.pki.write("password", "initial-Pa55\n")
        let (poller, initial) = try poller(auth: "username: metrics, password_file: \(passwordFile)")
        var listing = initial
        #expect(poller.poll(&listing) == nil)
        pollEvery30s(poller, &listing, count: 2)

        // CM's password policy expired the password; the refresh token is gone too.
        simulator.changePassword("rotated-Pa55")
        simulator.revokeRefreshTokens()
        simulator.expireTokens()
        poller.client.tokens.invalidate()
        advance(seconds: 30)
        #expect(poller.poll(&listing)?.reason == .auth, "the old password is refused")
        #expect(log.count("login refused") == 1)
        let refused = simulator.stats().rejectedLogins

        // The Secret is rewritten in place: the next poll logs in with the new password.
        try certs.pki.write("password", "rotated-Pa55\n")
        pollEvery30s(poller, &listing, count: 2)
        #expect(simulator.stats().rejectedLogins == refused, "no login with the old password again")
        #expect(log.completeWalks.count == 1, "no complete walk")
        #expect(log.count("credentials re-read") == 1)
    }
}
