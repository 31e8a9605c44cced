import ArgumentParser
import Foundation
import Testing

@testable import ExporterApp

/// The man page and completions under `deploy/` are generated (scripts/generate-docs.sh); these
/// tests fail when a flag changed and nobody regenerated them. `--check` of the script compares
/// the man page byte for byte (it needs swift-argument-parser's generate-manual built).
@Suite("Generated man page and completions are up to date")
struct GeneratedDocsTests {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func committed(_ path: String) throws -> String {
        try String(contentsOf: Self.repository.appendingPathComponent(path), encoding: .utf8)
    }

    @Test(
        "bash, zsh and fish completions equal what the argument parser generates",
        arguments: [
            ("bash", "deploy/completions/cckm_exporter.bash"), ("zsh", "deploy/completions/_cckm_exporter"),
            ("fish", "deploy/completions/cckm_exporter.fish"),
        ])
    func completions(shell: String, path: String) throws {
        let generated = ExporterCommand.completionScript(for: try #require(CompletionShell(rawValue: shell)))
        #expect(try committed(path) == generated + "\n", "run scripts/generate-docs.sh")
    }

    @Test("the man page documents every flag of --help, with its help text")
    func manPageHasEveryFlag() throws {
        let manual = try committed("deploy/man/cckm_exporter.1")
        let help = ExporterOptions.helpMessage(columns: 1000)
        let flags = help.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("--"), trimmed != "--help" else { return nil }
            return String(trimmed.prefix { $0 != " " && $0 != "<" && $0 != "=" })
        }
        #expect(flags.count > 10)
        for flag in flags where flag != "--help" {
            #expect(
                manual.contains(".It Fl -\(flag.dropFirst(2))"),
                "\(flag) missing: run scripts/generate-docs.sh")
        }
    }

    @Test("the generator flags reach ArgumentParser; everyday flags do not")
    func generatorRequests() {
        #expect(ExporterCommand.isGeneratorRequest(["--generate-completion-script", "bash"]))
        #expect(ExporterCommand.isGeneratorRequest(["--generate-completion-script=zsh"]))
        #expect(ExporterCommand.isGeneratorRequest(["--experimental-dump-help"]))
        #expect(!ExporterCommand.isGeneratorRequest(["--demo", "--generate-completion-script", "bash"]))
        #expect(!ExporterCommand.isGeneratorRequest([]))
    }
}
