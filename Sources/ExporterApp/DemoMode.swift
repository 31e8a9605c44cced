import CCKMSimulator
import Foundation
import Logging

/// `--demo`: a built-in CipherTrust Manager simulator on loopback, with a random password
/// that is never logged, so the exporter can be tried without a CM.
struct DemoMode {
    let simulator: CCKMSimulator
    let login: (url: String, username: String, password: String)

    /// A login that only serves to validate the demo's flags before the simulator exists.
    static let placeholderLogin = (url: "http://127.0.0.1:1", username: "demo", password: "placeholder")

    static func startIfAsked(_ settings: RuntimeSettings, logger: Logger) throws(ConfigurationError)
        -> DemoMode?
    {
        guard case .demo = settings.source else { return nil }
        // Validate the flags before anything starts, so a bad flag is one error line.
        _ = try settings.configuration(demo: placeholderLogin)
        let password = UUID().uuidString
        var configuration = SimulatorConfiguration()
        configuration.password = password
        do {
            let simulator = try CCKMSimulator(configuration: configuration)
            logger.info(
                "demo mode: polling the built-in simulator", metadata: ["url": "\(simulator.baseURL)"])
            return DemoMode(
                simulator: simulator,
                login: (simulator.baseURL, configuration.username, password))
        } catch {
            throw ConfigurationError(field: "--demo", problem: "cannot start the simulator: \(error)")
        }
    }
}
