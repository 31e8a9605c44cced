import Foundation

/// Certificates made with `openssl` for one test, in a temporary directory removed with the
/// value: self-signed certificates (CAs among them) and certificates they sign, each as
/// `name.pem` with its key `name.key`.
public final class TestPKI: Sendable {
    /// The key a certificate is made with.
    public enum Key: Sendable {
        case p256
        case rsa2048

        var arguments: [String] {
            switch self {
            case .p256: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
            case .rsa2048: ["-newkey", "rsa:2048"]
            }
        }
    }

    public let directory: String

    /// An empty directory; add certificates with ``selfSigned(_:key:subject:extensions:)`` and
    /// ``issue(_:by:extensions:days:key:)``.
    public init() throws {
        directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("cckm-pki-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    public func path(_ name: String) -> String { "\(directory)/\(name)" }

    public func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    /// Writes `text` to `name` in the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// Makes `name.pem`/`name.key`, self-signed for 2 days with openssl's default CA extensions
    /// and `extensions` added (each as `-addext`); with none, a CA to ``issue(_:by:extensions:days:key:)`` from.
    public func selfSigned(
        _ name: String, key: Key = .p256, subject: String? = nil, extensions: [String] = []
    ) throws {
        try OpenSSL.require(
            ["req", "-x509"] + key.arguments + ["-nodes", "-days", "2", "-subj", subject ?? "/CN=\(name)"]
                + extensions.flatMap { ["-addext", $0] }
                + ["-keyout", path("\(name).key"), "-out", path("\(name).pem")])
    }

    /// Issues `name.pem`/`name.key` (subject `/CN=name`) signed by `ca`, valid for `days`
    /// (negative: already expired), with openssl `extensions` (lines of an extension file).
    public func issue(
        _ name: String, by ca: String, extensions: String, days: Int = 2, key: Key = .p256
    ) throws {
        try OpenSSL.require(
            ["req"] + key.arguments + [
                "-nodes", "-subj", "/CN=\(name)", "-keyout", path("\(name).key"), "-out", path("\(name).csr"),
            ])
        try write("\(name).ext", extensions + "\n")
        try OpenSSL.require([
            "x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(ca).pem"), "-CAkey", path("\(ca).key"),
            "-days", "\(days)", "-extfile", path("\(name).ext"), "-out", path("\(name).pem"),
        ])
    }
}
