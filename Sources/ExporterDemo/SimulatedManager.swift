import CCKMSimulator
import ExporterApp
import Foundation

/// `--demo`'s CipherTrust Manager: the simulator on loopback, with a random password.
public enum ExporterDemo {
    /// What the executable hands to ``ExporterApplication/main(arguments:environment:demo:)``.
    public static let starter: DemoManagerStarter = { try SimulatedManager() }
}

/// The simulator behind the ``DemoManager`` boundary.
final class SimulatedManager: DemoManager {
    private let simulator: CCKMSimulator
    let username: String
    let password: String
    var baseURL: String { simulator.baseURL }

    init() throws {
        var configuration = SimulatorConfiguration()
        configuration.password = UUID().uuidString
        simulator = try CCKMSimulator(configuration: configuration)
        username = configuration.username
        password = configuration.password
    }

    func shutdown() { simulator.shutdown() }
}
