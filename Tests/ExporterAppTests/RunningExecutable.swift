import CCKMClient
import Foundation
import Synchronization
import TestSupport
import Testing

/// A binary started for a test, its standard error collected as it arrives, so that the test
/// can wait for a log line instead of sleeping for a guessed start-up time.
final class RunningExecutable: Sendable {
    let process: Process
    private let errorText = CollectedText()

    /// Text appended by the reading thread, which must not keep the executable alive.
    private final class CollectedText: Sendable {
        let text = Mutex("")
    }

    init(_ binary: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let reading = errors.fileHandleForReading
        Thread.detachNewThread { [errorText] in
            while case let data = reading.availableData, !data.isEmpty {
                errorText.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Everything written to standard error so far.
    var standardError: String { errorText.text.withLock { $0 } }

    /// Waits (up to `timeout`) for the `msg=listening` log line and returns its port.
    func listeningPort(timeout: Duration = .seconds(10)) -> UInt16? {
        var port: UInt16?
        _ = eventually(timeout: timeout) {
            port = Self.port(inListeningLine: standardError)
            return port != nil || !process.isRunning
        }
        return port
    }

    /// Waits (up to `timeout`) for `GET /-/ready` on `port` to answer 200.
    func waitUntilReady(_ port: UInt16, timeout: Duration = .seconds(10)) -> Bool {
        let transport = HTTPTransport(settings: .init(requestTimeout: .seconds(1)))
        return eventually(timeout: timeout) {
            (try? transport.send(method: "GET", url: "http://127.0.0.1:\(port)/-/ready"))?.status == 200
        }
    }

    static func port(inListeningLine text: String) -> UInt16? {
        guard let line = text.split(separator: "\n").first(where: { $0.contains("msg=listening") }),
            let address = line.split(separator: " ").first(where: { $0.hasPrefix("address=") }),
            let colon = address.lastIndex(of: ":")
        else { return nil }
        return UInt16(address[address.index(after: colon)...])
    }
}
