import CCKMClient
import Foundation
import HTTPServer
import Synchronization
import TestSupport
import Testing

/// ``HTTPReply/deferred(_:)`` parks a connection without holding a worker thread: the one
/// worker goes on serving others, the parked request is answered from another thread, and
/// shutdown waits for it.
@Suite("HTTPServer: deferred replies and start-up")
struct DeferredReplyTests {
    /// Responders of parked requests, handed from the worker to the test.
    final class Parked: Sendable {
        private let responders = Mutex<[HTTPResponder]>([])
        func add(_ responder: HTTPResponder) { responders.withLock { $0.append(responder) } }
        func takeAll() -> [HTTPResponder] {
            responders.withLock { responders in
                defer { responders.removeAll() }
                return responders
            }
        }
        /// Waits (bounded) until `count` requests are parked.
        func wait(for count: Int, within: Duration = .seconds(5)) -> Bool {
            eventually(timeout: within) { responders.withLock { $0.count } >= count }
        }
    }

    private static func server(_ parked: Parked) throws -> HTTPServer {
        try HTTPServer(
            options: HTTPServerOptions(host: "127.0.0.1", port: 0, threads: 1),
            replyHandler: { request in
                guard request.path == "/parked" else { return .response(.text(200, "now\n")) }
                return .deferred { parked.add($0) }
            })
    }

    @Test("while a request is parked, the only worker serves others; the parked one answers later")
    func parkedRequestDoesNotBlock() throws {
        let parked = Parked()
        let server = try Self.server(parked)
        defer { server.shutdown(gracePeriod: .milliseconds(200)) }
        let slow = try #require(RawSocket(port: server.port))
        defer { slow.close() }
        slow.send("GET /parked HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(parked.wait(for: 1))
        let quick = try HTTPTransport(settings: .init(requestTimeout: .seconds(2)))
            .send(method: "GET", url: "http://127.0.0.1:\(server.port)/now")
        #expect(quick.status == 200)
        let answered = Thread.detachNewThreadReturning { slow.receiveAll() }
        for responder in parked.takeAll() { responder.respond(.text(202, "later\n")) }
        let answer = answered.value(within: .seconds(5)) ?? ""
        #expect(answer.hasPrefix("HTTP/1.1 202"), "\(answer.prefix(40))")
        #expect(answer.hasSuffix("later\n"))
    }

    @Test("shutdown waits for a parked request instead of aborting")
    func shutdownWaitsForParked() throws {
        let parked = Parked()
        let server = try Self.server(parked)
        let slow = try #require(RawSocket(port: server.port))
        defer { slow.close() }
        slow.send("GET /parked HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(parked.wait(for: 1))
        let responders = parked.takeAll()
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            for responder in responders { responder.respond(.text(200, "late\n")) }
        }
        server.shutdown(gracePeriod: .milliseconds(50))
        #expect(server.openConnections >= 0)
    }

    @Test("libmicrohttpd logs nothing at start (the logger is its first option)")
    func quietStart() throws {
        let messages = Mutex<[String]>([])
        let server = try HTTPServer(
            options: HTTPServerOptions(host: "127.0.0.1", port: 0), handler: { _ in .text(200, "") },
            errorLog: { message in messages.withLock { $0.append(message) } })
        server.shutdown(gracePeriod: .milliseconds(50))
        #expect(messages.withLock { $0 } == [])
    }
}

/// A value computed on another thread, waited for with a bound.
final class ThreadResult<T: Sendable>: Sendable {
    private let result = Mutex<T?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func set(_ value: T) {
        result.withLock { $0 = value }
        done.signal()
    }

    func value(within: Duration) -> T? {
        let seconds = within / .seconds(1)
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return result.withLock { $0 }
    }
}

extension Thread {
    static func detachNewThreadReturning<T: Sendable>(_ body: @escaping @Sendable () -> T) -> ThreadResult<T>
    {
        let result = ThreadResult<T>()
        Thread.detachNewThread { result.set(body()) }
        return result
    }
}
