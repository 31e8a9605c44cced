import CCKMClient
import Foundation
import HTTPServer
import TestSupport
import Testing
import WebToolkit

/// `tls_server_config` over real TLS (libmicrohttpd + GnuTLS) with certificates made by
/// openssl for the test: server certificate, each client_auth_type, protocol versions,
/// plain HTTP on the TLS port, reload of the certificate on the same port.
@Suite("TLS: server certificate, client certificates, versions, reload")
struct TLSServerTests {
    private let pki = TestPKI.shared

    private func tls(
        _ clientAuth: ClientAuthType = .noClientCert, min: TLSVersion = .tls12, cert: String = "server"
    )
        throws -> WebTLSConfig
    {
        WebTLSConfig(
            certificatePEM: try pki.text("\(cert).pem"), keyPEM: try pki.text("\(cert).key"),
            clientCAPEM: clientAuth == .noClientCert ? nil : try pki.text("ca.pem"),
            clientAuth: clientAuth, minVersion: min)
    }

    private func client(_ certificate: String? = nil) -> HTTPTransport.Settings {
        HTTPTransport.Settings(
            caFile: pki.path("ca.pem"), requestTimeout: .seconds(5),
            clientCertificateFile: certificate.map { pki.path("\($0).pem") },
            clientKeyFile: certificate.map { pki.path("\($0).key") })
    }

    @Test("serves HTTPS that a client trusting the CA accepts; others refuse the certificate")
    func serverCertificate() throws {
        let server = try GatedServer(WebConfig(tls: try tls()))
        #expect(server.status("/metrics", tls: client()) == 200)
        guard case .failure(let error) = server.get("/metrics", tls: .init(requestTimeout: .seconds(5)))
        else {
            Issue.record("a client without the CA accepted the certificate")
            return
        }
        #expect(error.kind == .tls)
    }

    @Test(
        "each client_auth_type admits the clients exporter-toolkit's would",
        arguments: [
            (ClientAuthType.requestClientCert, [200, 200, 200]),
            (.requireAnyClientCert, [403, 200, 200]),
            (.verifyClientCertIfGiven, [200, 403, 200]),
            (.requireAndVerifyClientCert, [403, 403, 200]),
        ] as [(ClientAuthType, [Int])])
    func clientAuth(_ type: ClientAuthType, expected: [Int]) throws {
        let server = try GatedServer(WebConfig(tls: try tls(type)))
        // No certificate, one from an unrelated CA, one from the configured CA.
        let statuses = [nil, "rogue-client", "client"].map { server.status("/metrics", tls: client($0)) ?? 0 }
        #expect(statuses == expected, "\(type.rawValue)")
    }

    @Test("healthy_without_auth opens /-/healthy to clients without a certificate, nothing else")
    func healthyWithoutClientCertificate() throws {
        let server = try GatedServer(
            WebConfig(tls: try tls(.requireAndVerifyClientCert), healthyWithoutAuth: true))
        #expect(server.status("/-/healthy", tls: client()) == 200)
        #expect(server.status("/metrics", tls: client()) == 403)
    }

    @Test("min_version TLS13 refuses a TLS 1.2 handshake and accepts TLS 1.3")
    func versions() throws {
        let server = try GatedServer(WebConfig(tls: try tls(min: .tls13)))
        func handshake(_ server: GatedServer, _ arguments: [String]) throws -> Int32 {
            try OpenSSL.sClient(port: server.port, arguments + ["-CAfile", pki.path("ca.pem")], input: "Q\n")
                .status
        }
        #expect(try handshake(server, ["-tls1_2", "-verify_return_error"]) != 0)
        #expect(try handshake(server, ["-tls1_3", "-verify_return_error"]) == 0)
        let both = try GatedServer(WebConfig(tls: try tls()))
        #expect(try handshake(both, ["-tls1_2"]) == 0)
    }

    @Test("plain HTTP on the TLS port is dropped without harm; HTTPS still works after")
    func plainOnTLSPort() throws {
        let server = try GatedServer(WebConfig(tls: try tls()))
        let answer = try #require(
            RawSocket.exchange(port: server.port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(!answer.contains("served"))
        #expect(server.status("/metrics", tls: client()) == 200)
    }

    @Test("a TLS ClientHello on the plain port gets 400 or a close; plain HTTP still works after")
    func tlsOnPlainPort() throws {
        let server = try GatedServer(WebConfig())
        guard case .failure = server.get("/metrics", tls: client()) else {
            Issue.record("TLS on the plain port succeeded")
            return
        }
        let answer = try #require(
            RawSocket.exchange(
                port: server.port, [0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]))
        #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 400"))
        #expect(server.status("/metrics") == 200)
    }

    @Test("a new certificate on reload is served on the same port; a bad file keeps the old one")
    func reloadCertificate() throws {
        let directory = try TestPKI.serverAndClients()
        let file = try directory.write(
            "web.yml", "tls_server_config: {cert_file: server.pem, key_file: server.key}\n")
        let listener = try WebConfigListener(
            options: HTTPServerOptions(host: "127.0.0.1"), config: try WebConfigLoader.load(path: file),
            reloadable: true, handler: { _ in .text(200, "ok\n") })
        defer { listener.shutdown(gracePeriod: .milliseconds(200)) }
        let reloader = WebConfigReloader(path: file)
        reloader.attach(listener)
        let url = "https://127.0.0.1:\(listener.port)/"
        func serialOfServedCertificate() throws -> String {
            let text = try OpenSSL.sClient(port: listener.port, ["-showcerts"]).output
            return text.contains("CN = server2") || text.contains("CN=server2") ? "server2" : "server"
        }
        #expect(try serialOfServedCertificate() == "server")
        try directory.write("web.yml", "tls_server_config: {cert_file: server2.pem, key_file: server2.key}\n")
        #expect(try reloader.reload() != nil)
        #expect(try serialOfServedCertificate() == "server2")
        let transport = HTTPTransport(
            settings: .init(caFile: directory.path("ca.pem"), requestTimeout: .seconds(5)))
        #expect(try transport.send(method: "GET", url: url).status == 200)

        try directory.write("web.yml", "tls_server_config: {cert_file: server.pem, key_file: client.key}\n")
        #expect(throws: WebConfigError.self) { try reloader.reload() }
        #expect(try serialOfServedCertificate() == "server2")
        #expect(try transport.send(method: "GET", url: url).status == 200)
    }

    @Test("the watcher picks up a changed file by itself")
    func watcher() throws {
        let directory = try TestPKI.serverAndClients()
        let file = try directory.write("web.yml", "basic_auth_users: {}\n")
        let server = try GatedServer(try WebConfigLoader.load(path: file))
        let reloader = WebConfigReloader(path: file)
        reloader.attach(server.listener)
        let watcher = WebConfigWatcher(path: file, interval: .milliseconds(100)) {
            _ = try? reloader.reload()
        }
        defer { watcher.stop() }
        #expect(server.status("/metrics") == 200)
        try directory.write("web.yml", "basic_auth_users: {quick: \"\(BcryptFixture.quick.hash)\"}\n")
        #expect(eventually(timeout: .seconds(20)) { server.status("/metrics") == 401 })
    }
}
