import Foundation
import TestSupport
import Testing

/// The built `cckm_exporter` binary, next to the test runner in the build folder.
let exporterBinary: URL = URL(fileURLWithPath: CommandLine.arguments[0])
    .deletingLastPathComponent().appendingPathComponent("cckm_exporter")

/// A finished run of the binary.
struct ProcessResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs the exporter with `arguments`, waiting at most `timeout` seconds.
func runExporter(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 30) throws
    -> ProcessResult
{
    let process = Process()
    process.executableURL = exporterBinary
    process.arguments = arguments
    process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { $1 }
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    _ = eventually(timeout: .milliseconds(Int64(timeout * 1000))) { !process.isRunning }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus,
        standardOutput: String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
        standardError: String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
}

@Suite(
    "The cckm_exporter executable",
    .enabled(if: FileManager.default.isExecutableFile(atPath: exporterBinary.path)))
struct ExecutableTests {
    @Test("--help documents every flag of the contract and exits 0")
    func help() throws {
        let result = try runExporter(["--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("USAGE: cckm_exporter"))
        for flag in [
            "--config.file", "--cm.url", "--cm.name", "--cm.username", "--cm.domain",
            "--cm.password-file", "--cm.refresh-token-file", "--cm.ca-file",
            "--cm.insecure-skip-verify", "--cm.clouds", "--cm.page-size", "--poll.interval",
            "--poll.timeout", "--web.listen-address", "--web.telemetry-path",
            "--web.config.file", "--log.level", "--log.format", "--demo", "--config.check",
            "--version",
        ] {
            #expect(result.standardOutput.contains(flag), "missing \(flag)")
        }
    }

    @Test("--version prints the version and exits 0")
    func version() throws {
        let result = try runExporter(["--version"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("cckm_exporter, version "))
    }

    @Test(
        "a bad flag exits 2 with one line naming it",
        arguments: [
            (["--no-such-flag"], "--no-such-flag"),
            (["--cm.url=https://cm", "--cm.username=u", "--log.level=loud"], "--log.level"),
            (["--cm.page-size=many", "--cm.url=https://cm"], "--cm.page-size"),
            (["--config.file=/nonexistent.yml"], "--config.file"),
            (["--demo", "--web.config.file=/etc/web.yml"], "--web.config.file"),
            (["--demo", "--poll.interval=5s", "--poll.timeout=10s"], "--poll.timeout"),
            (["--demo", "--config.check", "--poll.interval=5s", "--poll.timeout=10s"], "--poll.timeout"),
        ] as [([String], String)])
    func badFlag(arguments: [String], field: String) throws {
        let result = try runExporter(arguments, environment: ["CCKM_PASSWORD": "pw"])
        #expect(result.status == 2)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.standardError.contains(field))
        #expect(!result.standardError.contains("pw\""))
    }

    @Test("--config.check prints what would be polled, without secrets, and exits 0")
    func configCheck() throws {
        let result = try runExporter(
            [
                "--config.check", "--cm.url=https://cm.example.com", "--cm.username=metrics",
                "--cm.clouds=aws,azure",
            ],
            environment: ["CCKM_PASSWORD": "hunter2-secret"])
        #expect(result.status == 0)
        #expect(
            result.standardOutput.contains("cm=cm.example.com url=https://cm.example.com clouds=aws,azure"))
        #expect(!result.standardOutput.contains("hunter2-secret"))
    }

    @Test("--config.check refuses a bad web configuration with one line naming the field")
    func configCheckWebConfig() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("web-\(getpid()).yml").path
        _ = FileManager.default.createFile(
            atPath: path, contents: Data("tls_server_config:\n  cert_fil: x\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runExporter(["--config.check", "--demo", "--web.config.file=\(path)"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("tls_server_config.cert_fil"))
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    @Test("SIGTERM stops a running exporter with exit 0 within 5 s")
    func sigterm() throws {
        let exporter = try RunningExecutable(
            exporterBinary,
            ["--demo", "--web.listen-address=127.0.0.1:0", "--poll.interval=1s", "--poll.timeout=1s"])
        let port = try #require(exporter.listeningPort(), "no listening line in: \(exporter.standardError)")
        #expect(exporter.waitUntilReady(port), "/-/ready never answered 200")
        let sent = ContinuousClock.now
        exporter.process.terminate()
        exporter.process.waitUntilExit()
        #expect(ContinuousClock.now - sent < .seconds(5))
        #expect(exporter.process.terminationReason == .exit)
        #expect(exporter.process.terminationStatus == 0)
        #expect(exporter.standardError.contains("msg=\"shutting down\""))
    }
}
