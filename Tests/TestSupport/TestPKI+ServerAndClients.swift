extension TestPKI {
    /// One PKI of ``serverAndClients()`` for the tests that only read it (openssl takes a while
    /// on a busy machine).
    public static let shared: TestPKI = {
        do { return try serverAndClients() } catch {
            fatalError("openssl could not make the test PKI: \(error)")
        }
    }()

    /// A CA, two server certificates for 127.0.0.1 (`server`, `server2`), a client certificate
    /// from that CA, and a client certificate from an unrelated CA (which must not verify).
    public static func serverAndClients() throws -> TestPKI {
        let pki = try TestPKI()
        try pki.selfSigned("ca")
        try pki.selfSigned("rogue-ca")
        let server = "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth"
        try pki.issue("server", by: "ca", extensions: server)
        try pki.issue("server2", by: "ca", extensions: server)
        try pki.issue("client", by: "ca", extensions: "extendedKeyUsage=clientAuth")
        try pki.issue("rogue-client", by: "rogue-ca", extensions: "extendedKeyUsage=clientAuth")
        return pki
    }
}
