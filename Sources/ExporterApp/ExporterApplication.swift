import ArgumentParser
import ExporterConfig
import Foundation
import LineLogging
import Logging
import ProcessSignals
import WebToolkit

/// The executable's entry: flags → settings → ``ExporterRuntime`` → wait for signals.
/// `main.swift` only calls ``main(arguments:environment:demo:)``.
public enum ExporterApplication {
    /// Exit codes: 0 on a clean stop, `--help`, `--version` and a passing `--config.check`;
    /// 2 for a bad flag or configuration (one line naming the field on stderr); 1 when the
    /// server cannot start. `demo` starts the CM of `--demo` (nil: a build without one).
    public static func main(arguments: [String], environment: [String: String], demo: DemoManagerStarter?)
        -> Never
    {
        blockSignals()
        if ExporterCommand.isGeneratorRequest(arguments) {
            ExporterCommand.main(arguments)
            exit(0)
        }
        let options: ExporterOptions
        do {
            options = try ExporterOptions.parse(arguments)
        } catch {
            if ExporterOptions.exitCode(for: error) == .success {
                print(ExporterCommand.helpMessage(columns: 100))
                exit(0)
            }
            fail("\(ExporterOptions.message(for: error))")
        }
        run(options, environment: environment, demo: demo)
    }

    /// Holds SIGTERM, SIGINT and SIGHUP until the exporter is ready to act on them (see
    /// `SignalWaiter`): `main.swift`'s first statement, before any thread is started.
    public static func blockSignals() { SignalWaiter.blockForProcess([SIGTERM, SIGINT, SIGHUP]) }

    /// Runs the exporter with parsed options until SIGTERM/SIGINT.
    static func run(_ options: ExporterOptions, environment: [String: String], demo: DemoManagerStarter?)
        -> Never
    {
        if options.version {
            print(BuildVersion.banner)
            exit(0)
        }
        let settings: RuntimeSettings
        do {
            settings = try RuntimeSettings(options: options, environment: environment)
            if settings.configCheck {
                let web = try ExporterRuntime.loadWebConfig(settings)
                if case .demo = settings.source {
                    _ = try settings.configuration(demo: DemoMode.placeholderLogin)
                    print("configuration OK: --demo polls the built-in simulator")
                } else {
                    print(ConfigurationSummary.text(try settings.configuration(demo: nil)))
                }
                if settings.webConfigFile != nil { print("web configuration OK: \(web)") }
                exit(0)
            }
        } catch {
            fail("\(error)")
        }
        LoggingSystem.bootstrap { [format = settings.logFormat, level = settings.logLevel] _ in
            LineLogHandler(format: format, level: level)
        }
        let logger = Logger(label: "cckm_exporter")
        // Taken over before anything starts: SIGTERM and SIGINT stop, SIGHUP reloads.
        let signals = SignalWaiter(terminateOn: [SIGTERM, SIGINT], reloadOn: [SIGHUP])
        let runtime: ExporterRuntime
        do {
            runtime = try ExporterRuntime.start(settings, logger: logger, demo: demo)
        } catch let error as ConfigurationError {
            fail("\(error)")
        } catch {
            logger.error("cannot start", metadata: ["err": "\(error)"])
            exit(1)
        }
        signals.waitForTermination(onReload: { _ = runtime.reload() })
        logger.info("shutting down")
        runtime.stop()
        exit(0)
    }

    private static func fail(_ message: String) -> Never {
        let line = message.split(separator: "\n").first.map(String.init) ?? message
        LineLogHandler.standardError("cckm_exporter: error: \(line)")
        exit(2)
    }
}
