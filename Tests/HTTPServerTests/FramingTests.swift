import Foundation
import HTTPServer
import Synchronization
import TestSupport
import Testing

/// A request's length must be unambiguous (RFC 9112 §6.3): several `Content-Length` fields,
/// or `Content-Length` with `Transfer-Encoding`, are refused with 400 and a close before any
/// body byte is read, so nothing can be smuggled in as a second request.
@Suite("HTTP framing: ambiguous lengths are refused")
struct FramingTests {
    /// A server that answers `served <path>` and remembers every path it served.
    final class Recorder: Sendable {
        private let log = PathLog()
        let server: HTTPServer

        init() throws {
            let log = self.log
            server = try HTTPServer(options: HTTPServerOptions(host: "127.0.0.1", port: 0)) { request in
                log.paths.withLock { $0.append(request.path) }
                return .text(200, "served \(request.path)\n")
            }
        }

        /// Paths served so far.
        var paths: [String] { log.paths.withLock { $0 } }

        deinit { server.shutdown(gracePeriod: .milliseconds(100)) }

        /// Sends `request` on a new connection, half-closes, returns all the server sent.
        func exchange(_ request: String) throws -> String {
            let socket = try #require(RawSocket(port: server.port))
            defer { socket.close() }
            socket.send(request)
            shutdown(socket.fd, Int32(SHUT_WR))
            return socket.receiveAll()
        }
    }

    final class PathLog: Sendable {
        let paths = Mutex<[String]>([])
    }

    private static let smuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"

    @Test(
        "duplicate Content-Length gets 400 and a close; the rest is not served as a request",
        arguments: [
            "Content-Length: 5\r\nContent-Length: \(smuggled.utf8.count + 5)",
            "Content-Length: \(smuggled.utf8.count + 5)\r\nContent-Length: 5",
            "Content-Length: 5\r\ncontent-length: 5",
        ])
    func duplicateContentLength(_ lengths: String) throws {
        let recorder = try Recorder()
        let answer = try recorder.exchange(
            "POST /-/reload HTTP/1.1\r\nHost: x\r\n\(lengths)\r\n\r\nhello\(Self.smuggled)")
        #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(60))")
        #expect(answer.lowercased().contains("connection: close"))
        #expect(answer.components(separatedBy: "HTTP/1.1 ").count == 2, "one answer only: \(answer)")
        #expect(recorder.paths == [])
    }

    @Test(
        "Content-Length with Transfer-Encoding gets 400 and a close",
        arguments: [
            "Transfer-Encoding: chunked\r\nContent-Length: 5",
            "Content-Length: 5\r\nTransfer-Encoding: chunked",
        ])
    func lengthAndTransferEncoding(_ fields: String) throws {
        let recorder = try Recorder()
        let answer = try recorder.exchange(
            "POST /-/reload HTTP/1.1\r\nHost: x\r\n\(fields)\r\n\r\n0\r\n\r\n\(Self.smuggled)")
        #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(60))")
        #expect(answer.components(separatedBy: "HTTP/1.1 ").count == 2, "one answer only: \(answer)")
        #expect(recorder.paths == [])
    }

    @Test("a transfer coding other than chunked gets 501")
    func unknownTransferCoding() throws {
        let recorder = try Recorder()
        let answer = try recorder.exchange(
            "POST /-/reload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")
        #expect(answer.hasPrefix("HTTP/1.1 501"), "\(answer.prefix(60))")
        #expect(recorder.paths == [])
    }

    @Test("one Content-Length, or chunked alone, is served; pipelined requests too")
    func unambiguousIsServed() throws {
        let recorder = try Recorder()
        let plain = try recorder.exchange(
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /b HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(plain.contains("served /a") && plain.contains("served /b"), "\(plain)")
        let chunked = try recorder.exchange(
            "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        )
        #expect(chunked.hasPrefix("HTTP/1.1 200"), "\(chunked.prefix(60))")
        #expect(recorder.paths == ["/a", "/b", "/c"])
    }
}
