import CCKMSimulator
import Foundation
import JobMetrics
import Logging
import TestSupport
import Testing

@testable import ExporterConfig
@testable import Polling

/// A reload that changes only credentials (a new password, username, grant or certificate
/// content at the same paths) keeps the poller and every listing's state; any other change
/// replaces it.
@Suite("Reloads changing only credentials")
struct CredentialReloadTests {
    private func target(_ url: String, password: String, username: String = "metrics") -> TargetConfiguration
    {
        TargetConfiguration(
            name: "sim", url: url, auth: AuthConfiguration(username: username, password: Secret(password)))
    }

    @Test("only credentials differ: the same poller logs in with the new ones; a new URL replaces it")
    func keepsThePoller() throws {
        let simulator = try CCKMSimulator(
            configuration: SimulatorConfiguration(
                username: "metrics", password: "reload-password-one", historyPerListing: 3,
                newJobIntervalSeconds: 0))
        defer { simulator.shutdown() }
        let log = LogRecorder()
        let state = ExporterState(build: BuildInfo(version: "test", revision: "test", swiftVersion: "6"))
        let supervisor = PollerSupervisor(state: state, logger: Logger(label: "test") { _ in log })
        defer { supervisor.stopAll() }
        func configuration(_ target: TargetConfiguration) -> ExporterConfiguration {
            ExporterConfiguration(pollInterval: .seconds(3600), pollTimeout: .seconds(20), targets: [target])
        }
        supervisor.apply(configuration(target(simulator.baseURL, password: "reload-password-one")))
        #expect(eventually { log.completeWalks.count == 1 })
        #expect(log.count("pollers updated") == 1)

        supervisor.apply(
            configuration(target(simulator.baseURL, password: "reload-password-two", username: "other")))
        #expect(log.count("pollers updated") == 1, "the poller was kept")
        #expect(log.count("credentials replaced by a reload") == 1)
        #expect(state.isReady, "the listing kept its state")

        supervisor.apply(configuration(target(simulator.baseURL + "/", password: "reload-password-two")))
        #expect(log.count("pollers updated") == 2, "another URL is another target")
    }

    @Test("differsOnlyInCredentials: secrets, username, grant and certificate content; not paths or the URL")
    func comparison() {
        let base = TargetConfiguration(
            name: "a", url: "https://cm",
            auth: AuthConfiguration(username: "u", password: Secret("p"), passwordFile: "/p"))
        var other = base
        other.auth.password = Secret("q")
        other.auth.username = "v"
        #expect(base.differsOnlyInCredentials(from: other))
        other.auth.passwordFile = "/elsewhere"
        #expect(!base.differsOnlyInCredentials(from: other))
        other = base
        other.auth.domain = "child"
        #expect(!base.differsOnlyInCredentials(from: other))
        other = base
        other.pageSize = 7
        #expect(!base.differsOnlyInCredentials(from: other))
    }
}
