import Foundation

/// Runs `promtool check metrics` on bytes, as CI and users do: the reference linter of the
/// text exposition, for the exposition and the end-to-end tests alike.
public enum Promtool {
    public static let path = "/usr/bin/promtool"
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Its combined output (findings go to stderr) and exit status.
    public static func checkMetrics(_ bytes: [UInt8]) throws -> (output: String, status: Int32) {
        let (output, status) = try Subprocess.run(
            path, ["check", "metrics"], input: bytes, includingErrors: true)
        return (String(decoding: output, as: UTF8.self), status)
    }
}
