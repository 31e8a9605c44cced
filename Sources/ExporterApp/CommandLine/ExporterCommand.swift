import ArgumentParser
import Foundation

/// `cckm_exporter` as an ArgumentParser command, so what ArgumentParser generates from a
/// command — shell completion scripts (`--generate-completion-script bash|zsh|fish`) and the
/// `--experimental-dump-help` JSON the man page generator reads — comes from the same
/// ``ExporterOptions`` as `--help`. Everyday runs go through ``ExporterApplication/main(arguments:environment:)``,
/// which keeps its own exit codes and one-line errors.
struct ExporterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cckm_exporter",
        abstract: "Prometheus exporter for CipherTrust Manager CCKM synchronization jobs.",
        discussion: """
            Logs in to CipherTrust Manager, pages through the Cloud Key Manager \
            synchronization-job listings (AWS, Azure, Google Cloud, OCI, SAP, Salesforce) and \
            serves what it finds as Prometheus metrics on --web.telemetry-path, with a status \
            page at / and plain-text details at /debug. SIGHUP or POST /-/reload re-reads the \
            configuration. Secrets are read from files or the environment (CCKM_PASSWORD, \
            CCKM_REFRESH_TOKEN), never from flag values. Exit codes: 0 on a clean stop, 1 when \
            the server cannot start, 2 for a bad flag or configuration.
            """)

    @OptionGroup var options: ExporterOptions

    /// The flags ArgumentParser answers itself for a command, before anything else is parsed.
    static let generatorFlags = ["--generate-completion-script", "--experimental-dump-help"]

    /// True when `arguments` ask for a completion script or the help dump.
    static func isGeneratorRequest(_ arguments: [String]) -> Bool {
        guard let first = arguments.first else { return false }
        return generatorFlags.contains { first == $0 || first.hasPrefix($0 + "=") }
    }

    mutating func run() throws {
        // Only completion and man-page requests come here; they exit before `--demo` matters.
        ExporterApplication.run(options, environment: ProcessInfo.processInfo.environment, demo: nil)
    }
}
