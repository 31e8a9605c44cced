import CCKMClient
import Foundation
import HTTPServer
import TestSupport
import Testing
import WebToolkit

/// ``WebConfigListener`` across a TLS change and a shutdown: no daemon outlives the listener,
/// and each daemon keeps the client-certificate policy it was started with.
@Suite("WebConfigListener lifetime: apply after shutdown, old daemon's policy")
struct WebConfigListenerLifetimeTests {
    private let pki = TestPKI.shared

    private func tls(_ clientAuth: ClientAuthType) throws -> WebTLSConfig {
        WebTLSConfig(
            certificatePEM: try pki.text("server.pem"), keyPEM: try pki.text("server.key"),
            clientCAPEM: clientAuth == .noClientCert ? nil : try pki.text("ca.pem"),
            clientAuth: clientAuth)
    }

    private func listener(_ config: WebConfig) throws -> WebConfigListener {
        try WebConfigListener(
            options: HTTPServerOptions(host: "127.0.0.1"), config: config, reloadable: true,
            handler: { _ in .text(200, "ok\n") })
    }

    @Test("a TLS change applied after shutdown starts no daemon: the port stays closed")
    func applyAfterShutdown() throws {
        let listener = try listener(WebConfig())
        let port = listener.port
        listener.shutdown(gracePeriod: .milliseconds(100))
        try listener.apply(WebConfig(tls: try tls(.noClientCert)))
        let socket = RawSocket(port: port, timeout: .seconds(2))
        socket?.close()
        #expect(socket == nil, "a daemon listens on \(port) after shutdown")
        #expect(listener.openConnections == 0)
    }

    @Test("a keep-alive connection to the retired daemon keeps that daemon's client-certificate policy")
    func retiredDaemonKeepsItsPolicy() throws {
        let listener = try listener(WebConfig(tls: try tls(.noClientCert)))
        defer { listener.shutdown(gracePeriod: .milliseconds(100)) }
        let url = "https://127.0.0.1:\(listener.port)/metrics"
        let settings = HTTPTransport.Settings(caFile: pki.path("ca.pem"), requestTimeout: .seconds(5))
        let kept = HTTPTransport(settings: settings)
        #expect(try kept.send(method: "GET", url: url).status == 200)

        try listener.apply(WebConfig(tls: try tls(.requireAndVerifyClientCert)))
        // Same handle, same connection, served by the old daemon, which asked for no
        // certificate: the new policy is not its to enforce.
        #expect(try kept.send(method: "GET", url: url).status == 200)
        #expect(listener.gate.config.tls?.clientAuth == .requireAndVerifyClientCert)
    }

    @Test("shutdown also stops a daemon still retiring: its keep-alive connection ends with it")
    func shutdownStopsRetiringDaemon() throws {
        let listener = try listener(WebConfig(tls: try tls(.noClientCert)))
        let url = "https://127.0.0.1:\(listener.port)/metrics"
        let kept = HTTPTransport(
            settings: .init(caFile: pki.path("ca.pem"), requestTimeout: .seconds(5)))
        #expect(try kept.send(method: "GET", url: url).status == 200)
        try listener.apply(WebConfig(tls: try tls(.requireAndVerifyClientCert)))
        listener.shutdown(gracePeriod: .milliseconds(100))
        #expect(throws: HTTPTransport.TransportError.self, "the retired daemon still served") {
            try kept.send(method: "GET", url: url)
        }
    }
}
