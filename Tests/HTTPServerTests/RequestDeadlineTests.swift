import CCKMClient
import Foundation
import HTTPServer
import Synchronization
import TestSupport
import Testing

/// Slowloris: a request must arrive whole within ``HTTPServerOptions/requestDeadline``, however
/// slowly its bytes trickle in (libmicrohttpd's own timer only sees inactivity), and slow
/// clients filling the connection limit cannot keep scrapes out.
@Suite("HTTPServer: request deadline and capacity under slowloris", .serialized)
struct RequestDeadlineTests {
    private static func server(limit: Int = 512, deadline: Duration) throws -> HTTPServer {
        var options = HTTPServerOptions(host: "127.0.0.1", port: 0, connectionLimit: limit)
        options.requestDeadline = deadline
        return try HTTPServer(options: options) { request in .text(200, "served \(request.path)\n") }
    }

    @Test("a header sent one byte every 100 ms is cut off at the deadline, not served")
    func tricklingHeaderIsClosed() throws {
        let server = try Self.server(deadline: .seconds(1))
        defer { server.shutdown(gracePeriod: .milliseconds(100)) }
        let socket = try #require(RawSocket(port: server.port))
        defer { socket.close() }
        let started = ContinuousClock.now
        var closed = false
        for byte in "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: \(String(repeating: "a", count: 60))".utf8 {
            guard socket.send(String(decoding: [byte], as: UTF8.self)) else { break }
            if socket.closedByServer(within: .milliseconds(100)) {
                closed = true
                break
            }
        }
        let elapsed = ContinuousClock.now - started
        #expect(closed, "still open after \(elapsed)")
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(3), "closed after \(elapsed)")
    }

    @Test("a kept-alive connection gets the deadline again for its next request")
    func keptAliveIdleIsClosed() throws {
        let server = try Self.server(deadline: .seconds(1))
        defer { server.shutdown(gracePeriod: .milliseconds(100)) }
        let socket = try #require(RawSocket(port: server.port))
        defer { socket.close() }
        socket.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n")
        let started = ContinuousClock.now
        #expect(socket.closedByServer(within: .seconds(4)))
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(900), "closed after \(elapsed)")
    }

    @Test(
        "48 trickling connections from 8 addresses over a limit of 40: scrapes every 0.25 s answer within 1 s"
    )
    func scrapesGetThroughAFullServer() throws {
        let server = try Self.server(limit: 40, deadline: .seconds(10))
        defer { server.shutdown(gracePeriod: .milliseconds(100)) }
        let attack = Slowloris(port: server.port, connections: 48, sources: (2...9).map { "127.0.0.\($0)" })
        defer { attack.stop() }
        #expect(attack.waitUntilFull(server: server, limit: 40))
        let transport = HTTPTransport(settings: .init(requestTimeout: .seconds(3)))
        for round in 0..<12 {
            // Prometheus's pace: the attack keeps going (and reconnecting) between scrapes.
            if round > 0 { Thread.sleep(forTimeInterval: 0.25) }
            let started = ContinuousClock.now
            let status = try? transport.send(method: "GET", url: "http://127.0.0.1:\(server.port)/metrics")
                .status
            let elapsed = ContinuousClock.now - started
            #expect(status == 200)
            #expect(elapsed < .seconds(1), "a scrape took \(elapsed)")
        }
        #expect(attack.reopened > 0, "the attack never had to reconnect")
    }
}

/// Keeps `connections` connections open, each sending one more header byte every 200 ms and
/// reopened as soon as the server closes it.
final class Slowloris: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let reopenedCount = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)

    init(port: UInt16, connections: Int, sources: [String]) {
        Thread.detachNewThread { [self] in
            var sockets: [RawSocket?] = (0..<connections).map {
                RawSocket(port: port, source: sources[$0 % sources.count], timeout: .milliseconds(200))
            }
            while !stopped.load(ordering: .relaxed) {
                for index in sockets.indices {
                    if let socket = sockets[index], socket.send("a") { continue }
                    sockets[index]?.close()
                    sockets[index] = RawSocket(
                        port: port, source: sources[index % sources.count], timeout: .milliseconds(200))
                    sockets[index]?.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                    reopenedCount.add(1, ordering: .relaxed)
                }
                Thread.sleep(forTimeInterval: 0.2)
            }
            sockets.forEach { $0?.close() }
            finished.signal()
        }
    }

    /// Connections the server closed and the attack opened again.
    var reopened: Int { reopenedCount.load(ordering: .relaxed) }

    /// Waits (bounded) until the server holds `limit` connections.
    func waitUntilFull(server: HTTPServer, limit: Int) -> Bool {
        eventually { server.openConnections >= limit * 7 / 8 }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        _ = finished.wait(timeout: .now() + 5)
    }
}
