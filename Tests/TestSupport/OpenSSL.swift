import Foundation

/// The system's `openssl` command, run through ``Subprocess``: how the tests make their
/// certificates (``TestPKI``) and make real TLS handshakes (`s_client`) independent of the
/// TLS stacks under test.
public enum OpenSSL {
    public static let path = "/usr/bin/openssl"

    /// A command that exited non-zero, with its arguments and what it wrote.
    public struct Failure: Error, CustomStringConvertible {
        public let arguments: [String]
        public let status: Int32
        public let output: String
        public var description: String {
            "openssl \(arguments.joined(separator: " ")) exited \(status): \(output)"
        }
    }

    /// Runs openssl with `arguments`, `input` on its standard input; its standard output (with
    /// its standard error too when `includingErrors`) and its exit status.
    public static func run(_ arguments: [String], input: String = "", includingErrors: Bool = false) throws
        -> (output: String, status: Int32)
    {
        signal(SIGPIPE, SIG_IGN)  // openssl may exit before it has read all of `input`
        let (output, status) = try Subprocess.run(
            path, arguments, input: Array(input.utf8), includingErrors: includingErrors)
        return (String(decoding: output, as: UTF8.self), status)
    }

    /// Runs openssl and throws ``Failure`` (with its standard error) when it exits non-zero.
    public static func require(_ arguments: [String]) throws {
        let (output, status) = try run(arguments, includingErrors: true)
        guard status == 0 else { throw Failure(arguments: arguments, status: status, output: output) }
    }

    /// `openssl s_client` to 127.0.0.1:`port` with `arguments`, sending `input` (the empty
    /// input ends the session once the handshake is done): its standard output and exit status.
    public static func sClient(port: UInt16, _ arguments: [String], input: String = "") throws
        -> (output: String, status: Int32)
    {
        try run(["s_client", "-connect", "127.0.0.1:\(port)"] + arguments, input: input)
    }
}
