import CCKMClient
import Foundation
import HTTPServer
import Testing

@Suite("HTTPServer over real sockets")
struct HTTPServerTests {
    private func start(_ handler: @escaping HTTPServer.Handler) throws -> HTTPServer {
        try HTTPServer(options: HTTPServerOptions(host: "127.0.0.1", port: 0), handler: handler)
    }

    @Test("a handler sees method, path, query, headers and body, and its answer arrives")
    func roundTrip() throws {
        let server = try start { request in
            let echo = [
                request.method, request.path, request.queryValues("kms").joined(separator: ","),
                request.header("X-Test") ?? "-", String(decoding: request.body, as: UTF8.self),
                request.clientAddress,
            ].joined(separator: "|")
            return HTTPResponse(status: 201, headers: [("X-Reply", "yes")], body: Array(echo.utf8))
        }
        defer { server.shutdown(gracePeriod: .milliseconds(100)) }
        #expect(server.port != 0)
        let transport = HTTPTransport()
        let response = try transport.send(
            method: "POST", url: "http://127.0.0.1:\(server.port)/a/b?kms=x&kms=y",
            headers: ["X-Test: hello", "Content-Type: text/plain"], body: Array("payload".utf8))
        #expect(response.status == 201)
        #expect(String(decoding: response.body, as: UTF8.self) == "POST|/a/b|x,y|hello|payload|127.0.0.1")
    }

    @Test("a header sent twice reaches the handler once, its values joined in order")
    func repeatedHeader() throws {
        let server = try start { request in .text(200, request.header("x-repeat") ?? "-") }
        defer { server.shutdown(gracePeriod: .milliseconds(100)) }
        let response = try HTTPTransport().send(
            method: "GET", url: "http://127.0.0.1:\(server.port)/",
            headers: ["X-Repeat: first", "x-repeat: second"])
        #expect(String(decoding: response.body, as: UTF8.self) == "first, second")
    }

    @Test("HEAD gets the headers without a body")
    func head() throws {
        let server = try start { _ in .text(200, "body text") }
        defer { server.shutdown(gracePeriod: .milliseconds(100)) }
        let response = try HTTPTransport().send(method: "HEAD", url: "http://127.0.0.1:\(server.port)/")
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
    }

    @Test("a body over the limit is flagged, not buffered")
    func bodyTooLarge() throws {
        let server = try HTTPServer(
            options: HTTPServerOptions(host: "127.0.0.1", port: 0, maxBodyBytes: 16)
        ) { request in
            request.bodyTooLarge ? .text(413, "too large") : .text(200, "ok")
        }
        defer { server.shutdown(gracePeriod: .milliseconds(100)) }
        let response = try HTTPTransport().send(
            method: "POST", url: "http://127.0.0.1:\(server.port)/",
            body: [UInt8](repeating: 65, count: 1000))
        #expect(response.status == 413)
    }

    @Test("binding a port in use fails with the address in the message")
    func bindFailure() throws {
        let first = try start { _ in .text(200, "") }
        defer { first.shutdown(gracePeriod: .milliseconds(100)) }
        #expect {
            _ = try HTTPServer(
                options: HTTPServerOptions(host: "127.0.0.1", port: first.port)
            ) { _ in .text(200, "") }
        } throws: { error in
            "\(error)".contains("127.0.0.1:\(first.port)")
        }
    }

    @Test("shutdown stops accepting connections")
    func shutdownStops() throws {
        let server = try start { _ in .text(200, "") }
        let port = server.port
        server.shutdown(gracePeriod: .milliseconds(100))
        #expect(throws: HTTPTransport.TransportError.self) {
            _ = try HTTPTransport().send(method: "GET", url: "http://127.0.0.1:\(port)/")
        }
    }
}
