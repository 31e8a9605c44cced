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

    @Test("a later shutdown with a shorter grace period cuts the first one's wait short")
    func shorterGraceWins() throws {
        let server = try start()
        let fd = try #require(connect(server.port))
        defer { close(fd) }
        #expect(pollUntil { server.openConnections == 1 }, "the idle connection was never accepted")
        let first = Thread { server.shutdown(gracePeriod: .seconds(30)) }
        first.start()
        #expect(pollUntil { !canConnect(server.port) }, "the first shutdown never quiesced")
        let clock = ContinuousClock()
        let elapsed = clock.measure { server.shutdown(gracePeriod: .zero) }
        #expect(elapsed < .seconds(5), "waited \(elapsed) for the 30 s grace of the first call")
        #expect(server.openConnections == 0)
    }

    private func connect(_ port: UInt16) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc == 0 { return fd }
        close(fd)
        return nil
    }

    private func canConnect(_ port: UInt16) -> Bool {
        guard let fd = connect(port) else { return false }
        close(fd)
        return true
    }

    /// Polls `condition` every 10 ms for up to 5 s.
    private func pollUntil(_ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while !condition() {
            if ContinuousClock.now >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return true
    }
}
