import CCKMSimulator
import Foundation
import HTTPServer
import Logging
import MetricsServer

/// A running exporter: HTTP server, pollers and (with `--demo`) the simulator. Started by
/// ``start(_:logger:)``, stopped by ``stop()``; the executable and the integration tests
/// use it alike.
public final class ExporterRuntime: Sendable {
    /// The port `/metrics` is served on.
    public let port: UInt16
    let state: ExporterState
    private let server: HTTPServer
    private let supervisor: PollerSupervisor
    private let demo: DemoMode?
    private let reloadAction: @Sendable () -> Result<Void, ReloadFailure>

    /// Validates the configuration, binds the listen address and starts polling.
    /// Throws ``ConfigurationError`` for a bad configuration, ``HTTPServer/StartError`` when
    /// the address cannot be bound.
    public static func start(_ settings: RuntimeSettings, logger: Logger) throws -> ExporterRuntime {
        if settings.webConfigFile != nil {
            throw ConfigurationError(
                field: "--web.config.file",
                problem: "TLS and basic auth are not available in this version; serve behind a TLS proxy for now")
        }
        let demo = try DemoMode.startIfAsked(settings, logger: logger)
        do {
            return try ExporterRuntime(settings, demo: demo, logger: logger)
        } catch {
            demo?.simulator.shutdown()
            throw error
        }
    }

    private init(_ settings: RuntimeSettings, demo: DemoMode?, logger: Logger) throws {
        let configuration = try settings.configuration(demo: demo?.login)
        let state = ExporterState(cache: ScrapeCache(), build: BuildVersion.buildInfo)
        let supervisor = PollerSupervisor(state: state, logger: logger)
        let reload: @Sendable () -> Result<Void, ReloadFailure> = {
            do {
                supervisor.apply(try settings.configuration(demo: demo?.login))
                logger.info("configuration reloaded")
                return .success(())
            } catch {
                logger.error("reload failed, previous configuration kept", metadata: ["err": "\(error)"])
                return .failure(ReloadFailure(message: "\(error)"))
            }
        }
        let routes = ExporterRoutes(
            telemetryPath: settings.telemetryPath, cache: state.cache,
            status: ApplicationStatus(state: state, reload: reload))
        state.publish()
        server = try HTTPServer(
            options: HTTPServerOptions(host: settings.listenHost, port: settings.listenPort),
            handler: { routes.handle($0) },
            errorLog: { logger.debug("http server", metadata: ["err": "\($0)"]) })
        port = server.port
        self.state = state
        self.supervisor = supervisor
        self.demo = demo
        self.reloadAction = reload
        logger.info("listening", metadata: [
            "address": "\(settings.listenHost ?? ""):\(server.port)", "path": "\(settings.telemetryPath)",
            "version": "\(BuildVersion.version)",
        ])
        supervisor.apply(configuration)
    }

    /// Re-reads the configuration (SIGHUP, `POST /-/reload`).
    @discardableResult
    public func reload() -> Result<Void, ReloadFailure> { reloadAction() }

    /// Stops polling, lets in-flight requests finish (up to 4 s) and closes the server.
    public func stop() {
        supervisor.stopAll()
        server.shutdown(gracePeriod: .seconds(4))
        demo?.simulator.shutdown()
    }
}
