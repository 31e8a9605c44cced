import Foundation

/// One run of a command-line tool with bytes on its standard input: how the tests ask the
/// reference tools (promtool, gzip) for their verdict.
public enum Subprocess {
    /// Runs `path` with `arguments`, feeding it `input`, and returns its standard output (with
    /// its standard error too when `includingErrors`) and its exit status.
    public static func run(
        _ path: String, _ arguments: [String], input: [UInt8], includingErrors: Bool = false
    ) throws -> (output: [UInt8], status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = includingErrors ? stdout : FileHandle.nullDevice
        try process.run()
        // Fed from another thread: the tool may fill its output pipe before it has read all.
        let writer = stdin.fileHandleForWriting
        let bytes = Data(input)
        Thread.detachNewThread {
            try? writer.write(contentsOf: bytes)
            try? writer.close()
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (Array(output), process.terminationStatus)
    }
}
