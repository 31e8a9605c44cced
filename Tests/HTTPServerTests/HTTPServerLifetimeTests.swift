import CCKMClient
import Foundation
import HTTPServer
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
}
