import ExporterConfig
import Foundation
import HTTPServer
import Logging
import MetricsExposition
import MetricsServer
import Polling
import StatusPages
import WebToolkit

/// A running exporter: HTTP server, pollers and (with `--demo`) the simulator. Started by
/// ``start(_:logger:demo:)``, stopped by ``stop()``; the executable and the integration tests
/// use it alike.
public final class ExporterRuntime: Sendable {
    /// The port `/metrics` is served on.
    public let port: UInt16
    let state: ExporterState
    private let listener: WebConfigListener
    private let webConfigWatcher: WebConfigWatcher?
    private let supervisor: PollerSupervisor
    private let demo: DemoMode?
    private let reloadAction: @Sendable () -> Result<Void, ReloadFailure>

    /// The `--web.config.file` configuration (the default, plain HTTP without auth, when none
    /// is given); errors name the file and the YAML field.
    static func loadWebConfig(_ settings: RuntimeSettings) throws(ConfigurationError) -> WebConfig {
        guard let path = settings.webConfigFile else { return WebConfig() }
        do {
            return try WebConfigLoader.load(path: path)
        } catch {
            let field =
                error.field == "(file)"
                ? "--web.config.file" : "--web.config.file \(path): \(error.field)"
            throw ConfigurationError(field: field, problem: error.problem)
        }
    }

    /// Validates the configuration, binds the listen address and starts polling.
    /// Throws ``ConfigurationError`` for a bad configuration or web configuration,
    /// ``HTTPServer/StartError`` when the address cannot be bound.
    /// `demo` starts the CM that `--demo` polls.
    public static func start(
        _ settings: RuntimeSettings, logger: Logger, demo starter: DemoManagerStarter? = nil
    )
        throws -> ExporterRuntime
    {
        let webConfig = try loadWebConfig(settings)
        let demo = try DemoMode.startIfAsked(settings, starter: starter, logger: logger)
        do {
            return try ExporterRuntime(settings, webConfig: webConfig, demo: demo, logger: logger)
        } catch {
            demo?.manager.shutdown()
            throw error
        }
    }

    private init(_ settings: RuntimeSettings, webConfig: WebConfig, demo: DemoMode?, logger: Logger) throws {
        let configuration = try settings.configuration(demo: demo?.login)
        let authFailures = Self.authFailureCounter(logger: logger)
        let startTime = Date().timeIntervalSince1970
        let cache = ScrapeCache(serverMetrics: {
            ServerMetrics(httpAuthFailures: authFailures.count, created: startTime)
        })
        let state = ExporterState(
            build: BuildVersion.buildInfo, startTime: startTime, publisher: { cache.publish($0) })
        let supervisor = PollerSupervisor(state: state, logger: logger)
        let webReloader = WebConfigReloader(path: settings.webConfigFile)
        let reload: @Sendable () -> Result<Void, ReloadFailure> = {
            let web = Self.reloadWebConfig(webReloader, logger: logger)
            do {
                supervisor.apply(try settings.configuration(demo: demo?.login))
                logger.info("configuration reloaded")
                return web
            } catch {
                logger.error("reload failed, previous configuration kept", metadata: ["err": "\(error)"])
                return .failure(ReloadFailure(message: "\(error)"))
            }
        }
        let routes = ExporterRoutes(
            telemetryPath: settings.telemetryPath, cache: cache,
            status: ApplicationStatus(state: state, reload: reload))
        state.publish()
        var limits = HTTPServerOptions(
            host: settings.listenHost, port: settings.listenPort,
            connectionLimit: settings.webMaxConnections,
            connectionTimeoutSeconds: Int(settings.webConnectionTimeout.components.seconds),
            perIPConnectionLimit: settings.webMaxConnectionsPerIP,
            connectionMemoryLimit: settings.webMaxRequestBytes, maxBodyBytes: settings.webMaxRequestBytes)
        limits.requestDeadline = settings.webRequestHeaderTimeout
        listener = try WebConfigListener(
            options: limits, config: webConfig, reloadable: settings.webConfigFile != nil,
            authFailures: authFailures, realm: "cckm_exporter", handler: { routes.handle($0) },
            errorLog: { logger.debug("http server", metadata: ["err": "\($0)"]) })
        webReloader.attach(listener)
        webConfigWatcher = settings.webConfigFile.map { path in
            WebConfigWatcher(path: path) { _ = Self.reloadWebConfig(webReloader, logger: logger) }
        }
        for note in webConfig.notes { logger.info("web config", metadata: ["note": "\(note)"]) }
        port = listener.port
        self.state = state
        self.supervisor = supervisor
        self.demo = demo
        self.reloadAction = reload
        logger.info(
            "listening",
            metadata: [
                "address": "\(settings.listenHost ?? ""):\(listener.port)",
                "path": "\(settings.telemetryPath)",
                "version": "\(BuildVersion.version)", "web": "\(webConfig)",
            ])
        supervisor.apply(configuration)
    }

    /// Counts refused basic-auth attempts and logs them at most every 10 s, without user names.
    private static func authFailureCounter(logger: Logger) -> AuthFailureCounter {
        AuthFailureCounter(logInterval: .seconds(10)) { report in
            logger.warning(
                "basic auth refused",
                metadata: [
                    "failures": "\(report.failures)", "throttled": "\(report.throttled)",
                    "latest_address": "\(report.latestAddress)",
                ])
        }
    }

    /// Re-reads `--web.config.file` (reload or file change); a refused file keeps the old one.
    private static func reloadWebConfig(_ reloader: WebConfigReloader, logger: Logger)
        -> Result<Void, ReloadFailure>
    {
        do {
            if let config = try reloader.reload() {
                logger.info("web configuration reloaded", metadata: ["web": "\(config)"])
            }
            return .success(())
        } catch {
            logger.error("web configuration refused, previous one kept", metadata: ["err": "\(error)"])
            return .failure(ReloadFailure(message: "--web.config.file: \(error)"))
        }
    }

    /// Re-reads the configuration (SIGHUP, `POST /-/reload`).
    @discardableResult
    public func reload() -> Result<Void, ReloadFailure> { reloadAction() }

    /// Stops polling, lets in-flight requests finish (up to 4 s) and closes the server.
    public func stop() {
        supervisor.stopAll()
        webConfigWatcher?.stop()
        listener.shutdown(gracePeriod: .seconds(4))
        demo?.manager.shutdown()
    }
}
