import Foundation

/// gzip and gunzip through the system's `/bin/gzip`: a codec independent of the exporter's
/// zlib shim, so a test of our gzip (or of the client's decoding) does not check it against
/// itself.
public enum SystemGzip {
    public static let path = "/bin/gzip"
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// `bytes` gzip-compressed.
    public static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        try Subprocess.run(path, ["-c"], input: bytes).output
    }

    /// The bytes a gzip stream holds; nil when gzip refuses it.
    public static func decompress(_ bytes: [UInt8]) throws -> [UInt8]? {
        let (output, status) = try Subprocess.run(path, ["-d", "-c"], input: bytes)
        return status == 0 ? output : nil
    }
}
