import CCKMClient
import Foundation
import HTTPServer
import Synchronization
import TestSupport
import Testing

@testable import WebToolkit

/// Basic auth against hostile clients over real sockets: bcrypt runs off libmicrohttpd's
/// worker, so verified scrapes do not queue behind a flood; addresses that fail too often
/// get 429 without a check; every refusal is counted.
@Suite("Basic auth flood over real sockets", .serialized)
struct AuthFloodTests {
    private static let users = [BcryptFixture.prometheus.user: BcryptFixture.prometheus.hash]  // cost 10
    private static let right = BcryptFixture.header(
        BcryptFixture.prometheus.user, BcryptFixture.prometheus.password)

    /// Sends `count` GETs with new wrong passwords from `source` on one kept-alive connection;
    /// returns the statuses.
    private static func flood(port: UInt16, source: String, count: Int, tag: String) -> [Int] {
        guard let socket = RawSocket(port: port, source: source) else { return [] }
        defer { socket.close() }
        var statuses: [Int] = []
        for index in 0..<count {
            let header = BcryptFixture.header("prometheus", "wrong \(tag) \(index)")
            guard socket.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\(header)\r\n\r\n"),
                let status = socket.readResponseStatus()
            else { break }
            statuses.append(status)
        }
        return statuses
    }

    @Test("with one worker thread, verified scrapes stay fast while 4 clients flood new wrong passwords")
    func scrapesDoNotWaitForBcrypt() throws {
        let gate = WebConfigGate(
            config: WebConfig(basicAuthUsers: Self.users),
            throttle: AuthThrottle(policy: .init(burst: 1000, refill: .seconds(1))),
            next: { _ in .text(200, "metrics\n") })
        let server = try HTTPServer(
            options: HTTPServerOptions(host: "127.0.0.1", port: 0, threads: 1),
            replyHandler: { gate.reply($0) })
        defer { server.shutdown(gracePeriod: .milliseconds(200)) }
        let transport = HTTPTransport(settings: .init(requestTimeout: .seconds(10)))
        let url = "http://127.0.0.1:\(server.port)/metrics"
        #expect(try transport.send(method: "GET", url: url, headers: [Self.right]).status == 200)
        let stop = Atomic<Bool>(false)
        let flooded = Atomic<Int>(0)
        let finished = DispatchSemaphore(value: 0)
        for flooder in 0..<4 {
            Thread.detachNewThread {
                var round = 0
                while !stop.load(ordering: .relaxed) {
                    let statuses = Self.flood(
                        port: server.port, source: "127.0.0.\(20 + flooder)", count: 5,
                        tag: "\(flooder).\(round)")
                    flooded.add(statuses.count, ordering: .relaxed)
                    round += 1
                }
                finished.signal()
            }
        }
        // Measure under the flood, once it runs (bounded: a flood that never starts fails below).
        let floodDeadline = ContinuousClock.now + .seconds(30)
        while flooded.load(ordering: .relaxed) < 5 && ContinuousClock.now < floodDeadline {
            _ = try transport.send(method: "GET", url: url, headers: [Self.right])
        }
        var latencies: [Duration] = []
        for _ in 0..<15 {
            let started = ContinuousClock.now
            #expect(try transport.send(method: "GET", url: url, headers: [Self.right]).status == 200)
            latencies.append(ContinuousClock.now - started)
        }
        stop.store(true, ordering: .relaxed)
        for _ in 0..<4 { _ = finished.wait(timeout: .now() + 10) }
        #expect(flooded.load(ordering: .relaxed) > 4, "the flood did not run")
        #expect(gate.failures.count >= UInt64(flooded.load(ordering: .relaxed)))
        let median = latencies.sorted()[latencies.count / 2]
        // One bcrypt run at cost 10 takes ~70 ms; a scrape queued behind the flood waits several.
        #expect(median < .milliseconds(30), "median scrape \(median), all: \(latencies)")
    }

    @Test("after 5 failed checks an address gets 429 with Retry-After; its verified scraper still gets 200")
    func throttledAddress() throws {
        let server = try GatedServer(WebConfig(basicAuthUsers: Self.users))
        let gateFailures = server.listener.gate.failures
        let scraper = try #require(RawSocket(port: server.port, source: "127.0.0.30"))
        defer { scraper.close() }
        let get = "GET /metrics HTTP/1.1\r\nHost: x\r\n\(Self.right)\r\n\r\n"
        #expect(scraper.send(get) && scraper.readResponseStatus() == 200)
        let statuses = Self.flood(port: server.port, source: "127.0.0.30", count: 7, tag: "t")
        #expect(statuses == [401, 401, 401, 401, 401, 429, 429])
        #expect(scraper.send(get) && scraper.readResponseStatus() == 200)
        #expect(gateFailures.count == 7)
        let refused = try #require(
            RawSocket.exchange(
                port: server.port, source: "127.0.0.30",
                "GET /metrics HTTP/1.1\r\nHost: x\r\n\(BcryptFixture.header("prometheus", "wrong again"))\r\nConnection: close\r\n\r\n"
            ))
        #expect(refused.hasPrefix("HTTP/1.1 429"))
        #expect(refused.contains("Retry-After: "))
        #expect(!refused.contains("prometheus"))
        // Another address is not affected.
        #expect(Self.flood(port: server.port, source: "127.0.0.31", count: 1, tag: "u") == [401])
    }

    @Test("16 connections of one address verifying the same new credentials at once: all 200, one bcrypt run")
    func concurrentFirstScrapes() throws {
        let verifier = BasicAuthVerifier()
        let gate = WebConfigGate(
            config: WebConfig(basicAuthUsers: Self.users), verifier: verifier,
            next: { _ in .text(200, "ok\n") })
        let server = try HTTPServer(
            options: HTTPServerOptions(host: "127.0.0.1", port: 0), replyHandler: { gate.reply($0) })
        defer { server.shutdown(gracePeriod: .milliseconds(200)) }
        let sockets = (0..<16).compactMap { _ in RawSocket(port: server.port, source: "127.0.0.40") }
        defer { sockets.forEach { $0.close() } }
        #expect(sockets.count == 16)
        for socket in sockets { socket.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\(Self.right)\r\n\r\n") }
        let statuses = sockets.map { $0.readResponseStatus() }
        #expect(statuses == Array(repeating: 200, count: 16))
        #expect(verifier.bcryptRuns == 1)
        #expect(gate.failures.count == 0)
    }
}
