import CCKMClient
import Foundation
import HTTPServer
import TestSupport
import Testing

@Suite("HTTPServer lifetime: shutdown is idempotent, deinit stops the daemon")
struct HTTPServerLifetimeTests {
    private func start() throws -> HTTPServer {
        try HTTPServer(options: HTTPServerOptions(host: "127.0.0.1", port: 0)) { _ in .text(200, "ok") }
    }

    private func refused(_ port: UInt16) -> Bool {
        do {
            _ = try HTTPTransport().send(method: "GET", url: "http://127.0.0.1:\(port)/")
            return false
        } catch {
            return error.kind == .connect
        }
    }

    @Test("shutdown twice, and openConnections after it, touch no freed memory")
    func shutdownTwice() throws {
        let server = try start()
        let port = server.port
        server.shutdown(gracePeriod: .milliseconds(100))
        server.shutdown(gracePeriod: .milliseconds(100))
        #expect(server.openConnections == 0)
        #expect(refused(port))
    }

    @Test("concurrent shutdowns stop the daemon once; each returns once it is stopped")
    func concurrentShutdowns() throws {
        let server = try start()
        let port = server.port
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            server.shutdown(gracePeriod: .milliseconds(100))
            #expect(refused(port))
        }
    }

    @Test("a server released without shutdown stops listening")
    func deinitStops() throws {
        var server: HTTPServer? = try start()
        let port = try #require(server?.port)
        #expect(!refused(port))
        server = nil
        #expect(refused(port))
    }

    @Test("a later shutdown with a shorter grace period cuts the first one's wait short")
    func shorterGraceWins() throws {
        let server = try start()
        let socket = try #require(RawSocket(port: server.port))
        defer { socket.close() }
        #expect(eventually { server.openConnections == 1 }, "the idle connection was never accepted")
        let first = Thread { server.shutdown(gracePeriod: .seconds(30)) }
        first.start()
        #expect(eventually { !canConnect(server.port) }, "the first shutdown never quiesced")
        let clock = ContinuousClock()
        let elapsed = clock.measure { server.shutdown(gracePeriod: .zero) }
        #expect(elapsed < .seconds(5), "waited \(elapsed) for the 30 s grace of the first call")
        #expect(server.openConnections == 0)
    }

    private func canConnect(_ port: UInt16) -> Bool {
        guard let socket = RawSocket(port: port) else { return false }
        socket.close()
        return true
    }

}
