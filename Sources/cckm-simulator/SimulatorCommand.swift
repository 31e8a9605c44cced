import ArgumentParser
import CCKMSimulator
import Foundation
import ProcessSignals
import TextFormats
import WebToolkit

/// `cckm-simulator`: serves the simulator until SIGTERM or SIGINT.
struct SimulatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cckm-simulator",
        abstract: "A fake CipherTrust Manager serving CCKM synchronization jobs over HTTP.",
        discussion: """
            Speaks the login and synchronization-job API of CipherTrust Manager (every listing \
            of the cckm_exporter contract), with jobs that start, progress and finish over time. \
            Control endpoints for tests: GET /sim on the same address. The password comes from \
            --password-file, else the environment variable CCKM_SIMULATOR_PASSWORD, else "admin".

            A CM that lives: jobs start every --new-job-interval seconds, with --burst-size more \
            every --burst-interval (a scheduled "synchronize all"); --purge-count oldest finished \
            jobs go every --purge-interval, --deletion-count running jobs every \
            --deletion-interval; --server-error-rate of the listing pages answer 5xx; every \
            --outage-interval, all sync-job requests answer --outage-status for --outage-seconds. \
            --cluster-nodes behind a round-robin balancer, --lagging-nodes of them --lag-seconds \
            behind. GET /sim/truth?listing=aws gives what every job metric should be.
            """)

    @Option(help: "Address to listen on: HOST:PORT, [IPv6]:PORT or :PORT for every address.")
    var listenAddress = "127.0.0.1:8080"

    @Option(help: "The user the login endpoint accepts.")
    var username = "admin"

    @Option(help: "File holding the password (trailing newline ignored).")
    var passwordFile: String?

    @Option(help: "File holding a refresh token accepted from the start.")
    var refreshTokenFile: String?

    @Option(help: "Lifetime of issued JWTs, seconds.")
    var tokenLifetime = 300

    @Option(help: "Listings to serve, comma-separated (default: all).")
    var listings: String?

    @Option(help: "Finished jobs each listing starts with.")
    var history = 40

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 1

    @Option(help: "Mean seconds between new jobs per listing (0: none).")
    var newJobInterval = 15.0

    @Option(help: "Mean seconds one region (scope entry) takes to synchronize.")
    var regionSeconds = 3.0

    @Option(help: "Share of jobs that fail (0…1).")
    var failureRate = 0.15

    @Option(help: "Share of jobs that are aborted (0…1).")
    var abortRate = 0.1

    @Option(help: "Largest page a listing answers; larger limits are clamped.")
    var maxPageSize = 1000

    @Flag(
        help:
            "Ignore sort, as a listing that does not document it may (every listing comes in --default-order)."
    )
    var sortIgnored = false

    @Option(help: "Order of listings without sort, or with --sort-ignored: newest-first or oldest-first.")
    var defaultOrder = "newest-first"

    @Option(help: "id filter values honoured per request (the API documents one); default: all.")
    var idFilterValues: Int?

    @Option(help: "Seconds every listing page takes to answer (a CM paging a long history).")
    var pageLatency = 0.0

    @Option(help: "Old jobs of each listing's history that never finish (stuck in_progress).")
    var stuckJobs = 0

    @OptionGroup(title: "A CM that lives (every choice drawn from --seed, so a run replays)")
    var life: LifeOptions

    @Option(
        name: .customLong("web.config.file"),
        help:
            "exporter-toolkit web config, as cckm_exporter's: tls_server_config (client_auth_type, client_ca_file, …), http_server_config.headers, rate_limit."
    )
    var webConfigFile: String?

    @Option(
        help: "PEM certificate file: serve HTTPS (with --tls-key-file); short for a web config of the two.")
    var tlsCertFile: String?

    @Option(help: "PEM private key file for --tls-cert-file.")
    var tlsKeyFile: String?

    func run() throws {
        let simulator: CCKMSimulator
        do {
            simulator = try CCKMSimulator(configuration: makeConfiguration())
        } catch let error as SimulatorError {
            throw ValidationError(error.description)
        }
        // Before the URL is printed: a script may send SIGTERM as soon as it has read it.
        let signals = SignalWaiter(terminateOn: [SIGTERM, SIGINT])
        print("cckm-simulator listening on \(simulator.baseURL) (user \(username))")
        fflush(nil)  // scripts read the URL from a pipe
        let signal = signals.waitForTermination()
        print("cckm-simulator: \(SignalWaiter.name(of: signal)), stopping")
        simulator.shutdown()
    }

    private func makeConfiguration() throws -> SimulatorConfiguration {
        let address = try ListenAddress(parsing: listenAddress)
        var configuration = SimulatorConfiguration(
            host: address.host, port: address.port, username: username,
            password: try readPassword(), tokenLifetimeSeconds: tokenLifetime,
            historyPerListing: history, newJobIntervalSeconds: newJobInterval,
            regionSeconds: regionSeconds, failureRate: failureRate, abortRate: abortRate,
            seed: seed, maxPageSize: maxPageSize)
        guard let order = APIBehaviour.DefaultOrder(rawValue: defaultOrder) else {
            throw ValidationError("--default-order: newest-first or oldest-first, got \"\(defaultOrder)\"")
        }
        configuration.behaviour = APIBehaviour(
            sortHonoured: !sortIgnored, defaultOrder: order, idFilterValues: idFilterValues,
            pageLatencySeconds: pageLatency, stuckJobs: stuckJobs)
        try life.apply(to: &configuration)
        if let listings {
            configuration.listings = listings.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
        if let refreshTokenFile {
            configuration.refreshTokens = [try Self.secret(fromFile: refreshTokenFile)]
        }
        configuration.web = try webConfig()
        return configuration
    }

    /// `--web.config.file`, or `--tls-cert-file` and `--tls-key-file` read as the file
    /// `tls_server_config: {cert_file: …, key_file: …}` would be; errors name the flag and field.
    private func webConfig() throws -> WebConfig {
        do {
            switch (webConfigFile, tlsCertFile, tlsKeyFile) {
            case (nil, nil, nil):
                return WebConfig()
            case (let path?, nil, nil):
                return try WebConfigLoader.load(path: path)
            case (nil, let cert?, let key?):
                let yaml =
                    "tls_server_config: {cert_file: \(JSONString.quoted(cert)), key_file: \(JSONString.quoted(key))}"
                return try WebConfigLoader.parse(yaml, directory: FileManager.default.currentDirectoryPath)
            case (nil, _, _):
                throw ValidationError("--tls-cert-file and --tls-key-file go together")
            default:
                throw ValidationError(
                    "--web.config.file: give it or --tls-cert-file/--tls-key-file, not both")
            }
        } catch let error as WebConfigError {
            let flag = webConfigFile.map { "--web.config.file \($0)" } ?? "--tls-cert-file/--tls-key-file"
            throw ValidationError(error.field == "(file)" ? "\(flag): \(error.problem)" : "\(flag): \(error)")
        }
    }

    private func readPassword() throws -> String {
        if let passwordFile { return try Self.secret(fromFile: passwordFile) }
        return ProcessInfo.processInfo.environment["CCKM_SIMULATOR_PASSWORD"] ?? "admin"
    }

    private static func secret(fromFile path: String) throws -> String {
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return text.trimmingCharacters(in: .newlines)
        } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
    }
}
