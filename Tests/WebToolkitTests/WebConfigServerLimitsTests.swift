import CCKMClient
import Foundation
import HTTPServer
import TestSupport
import Testing
import WebToolkit

/// Server limits as `--web.max-connections`, `--web.max-connections-per-ip`,
/// `--web.connection-timeout` and `--web.max-request-bytes` set them: hostile or slow
/// clients are answered or dropped, and scrapes go on.
@Suite("Server limits: garbage, oversized headers, idle and slow clients, connection limits")
struct WebConfigServerLimitsTests {
    private func server(_ options: HTTPServerOptions = HTTPServerOptions(host: "127.0.0.1")) throws
        -> GatedServer
    {
        try GatedServer(WebConfig(), options: options)
    }

    @Test(
        "garbage gets 400 or a close, and the server serves the next scrape",
        arguments: [
            "\u{0}\u{1}\u{2}garbage\r\n\r\n",
            "GET\r\n\r\n",
            "GET /metrics HTTP/9.9\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            "GET /metrics HTTP/1.1\r\nNo colon here\r\n\r\n",
            "GET /%%%ZZ HTTP/1.1\r\nHost: x\r\n\r\n",
        ])
    func garbage(_ request: String) throws {
        let server = try server()
        let answer = try #require(RawSocket.exchange(port: server.port, timeout: .seconds(2), request))
        let status = answer.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        #expect(
            answer.isEmpty || status.map { (400..<600).contains($0) || $0 == 200 } == true,
            "\(answer.prefix(80))")
        #expect(server.status("/metrics") == 200)
    }

    @Test("headers beyond the request memory limit get 431/413/400 or a close; the server goes on")
    func oversizedHeaders() throws {
        let server = try server(HTTPServerOptions(host: "127.0.0.1", connectionMemoryLimit: 16 * 1024))
        let huge =
            "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n"
        let answer = try #require(RawSocket.exchange(port: server.port, huge))
        #expect(
            answer.isEmpty || ["431", "413", "400"].contains { answer.hasPrefix("HTTP/1.1 \($0)") },
            "\(answer.prefix(80))")
        #expect(!answer.contains("served"))
        let many =
            "GET /metrics HTTP/1.1\r\nHost: x\r\n" + (0..<3000).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        let second = try #require(RawSocket.exchange(port: server.port, many))
        #expect(!second.contains("served"))
        #expect(server.status("/metrics") == 200)
    }

    @Test("a body beyond max body bytes gets 413 from the exporter's routes")
    func oversizedBody() throws {
        let routes = HTTPServerOptions(host: "127.0.0.1", maxBodyBytes: 1024)
        let listener = try WebConfigListener(
            options: routes, config: WebConfig(), reloadable: false,
            handler: { $0.bodyTooLarge ? .text(413, "too large\n") : .text(200, "ok\n") })
        defer { listener.shutdown(gracePeriod: .milliseconds(100)) }
        let body = String(repeating: "x", count: 5000)
        let answer = try #require(
            RawSocket.exchange(
                port: listener.port,
                "POST /-/reload HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n\(body)"
            ))
        #expect(answer.hasPrefix("HTTP/1.1 413"))
    }

    @Test("50 idle and 20 slow (half-sent) connections do not slow a scrape down")
    func idleClientsDoNotBlock() throws {
        let server = try server()
        var sockets: [RawSocket] = []
        defer { sockets.forEach { $0.close() } }
        for index in 0..<70 {
            guard let socket = RawSocket(port: server.port) else { continue }
            if index >= 50 { socket.send("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ") }
            sockets.append(socket)
        }
        #expect(sockets.count == 70)
        let clock = ContinuousClock()
        var status: Int?
        let elapsed = clock.measure { status = server.status("/metrics") }
        #expect(status == 200)
        #expect(elapsed < .milliseconds(500), "a scrape took \(elapsed) with 70 idle connections open")
    }

    @Test("an idle connection is closed after the connection timeout")
    func idleTimeout() throws {
        let server = try server(HTTPServerOptions(host: "127.0.0.1", connectionTimeoutSeconds: 1))
        let socket = try #require(RawSocket(port: server.port))
        defer { socket.close() }
        let clock = ContinuousClock()
        var received = ""
        let elapsed = clock.measure { received = socket.receiveAll() }
        #expect(received.isEmpty)
        #expect(elapsed < .seconds(4), "closed after \(elapsed)")
    }

    @Test("beyond the per-address limit a connection is dropped; freed places serve again")
    func perAddressLimit() throws {
        let server = try server(HTTPServerOptions(host: "127.0.0.1", perIPConnectionLimit: 4))
        var held = (0..<4).compactMap { _ in RawSocket(port: server.port) }
        #expect(held.count == 4)
        #expect(eventually { server.listener.openConnections == 4 }, "the daemon accepted all 4")
        #expect(server.status("/metrics") == nil)
        held.forEach { $0.close() }
        held.removeAll()
        #expect(eventually { server.status("/metrics") == 200 })
    }

    @Test("at the connection limit, connections idle for 0.5 s are closed to make room for a scrape")
    func connectionLimit() throws {
        let server = try server(HTTPServerOptions(host: "127.0.0.1", connectionLimit: 6))
        let held = (0..<6).compactMap { _ in RawSocket(port: server.port) }
        defer { held.forEach { $0.close() } }
        #expect(held.count == 6)
        #expect(eventually { server.listener.openConnections == 6 }, "the daemon accepted all 6")
        let clock = ContinuousClock()
        var status: Int?
        let elapsed = clock.measure {
            status = server.status(
                "/metrics", tls: nil, timeout: HTTPTransport.Settings(requestTimeout: .seconds(3)))
        }
        #expect(status == 200)
        #expect(elapsed < .seconds(2), "a scrape took \(elapsed) behind 6 idle connections")
    }
}
