import ExporterConfig
import Foundation
import Logging

/// The CipherTrust Manager that `--demo` polls, on loopback. The executable supplies it
/// (`ExporterDemo`'s built-in simulator), so this target links no simulator.
public protocol DemoManager: AnyObject, Sendable {
    /// Where it listens, e.g. `http://127.0.0.1:PORT`.
    var baseURL: String { get }
    /// The login it accepts: a password made up at start, never logged.
    var username: String { get }
    var password: String { get }
    /// Stops it; called after the pollers have stopped.
    func shutdown()
}

/// Starts the `--demo` CM; throws when it cannot (its error goes into one line naming `--demo`).
public typealias DemoManagerStarter = @Sendable () throws -> any DemoManager

/// `--demo`: a built-in CipherTrust Manager on loopback, so the exporter can be tried without
/// a CM.
struct DemoMode {
    let manager: any DemoManager
    var login: (url: String, username: String, password: String) {
        (manager.baseURL, manager.username, manager.password)
    }

    /// A login that only serves to validate the demo's flags before the simulator exists.
    static let placeholderLogin = (url: "http://127.0.0.1:1", username: "demo", password: "placeholder")

    static func startIfAsked(_ settings: RuntimeSettings, starter: DemoManagerStarter?, logger: Logger)
        throws(ConfigurationError) -> DemoMode?
    {
        guard case .demo = settings.source else { return nil }
        // Validate the flags before anything starts, so a bad flag is one error line.
        _ = try settings.configuration(demo: placeholderLogin)
        guard let starter else {
            throw ConfigurationError(field: "--demo", problem: "this build has no built-in simulator")
        }
        do {
            let manager = try starter()
            logger.info("demo mode: polling the built-in simulator", metadata: ["url": "\(manager.baseURL)"])
            return DemoMode(manager: manager)
        } catch {
            throw ConfigurationError(field: "--demo", problem: "cannot start the simulator: \(error)")
        }
    }
}
