/// A client certificate, its private key and the key's password as read from their files:
/// presented (``TransportSlot/present(_:)``) only once ``checked(unixNow:)`` found them a pair, so a
/// rotation caught half-way (the certificate rewritten, the key not yet) or to a bad pair keeps
/// the last good one in use.
struct ClientKeyPair: Sendable {
    var certificate: [UInt8]
    /// Secret.
    var key: [UInt8]
    /// Secret; nil for a plain key.
    var password: String?

    /// The certificate when the key (decrypted with ``password``) belongs to it and it has not
    /// expired at `unixNow` (wall-clock seconds: a certificate's validity is calendar time, not
    /// the poller's monotonic clock), else why not.
    func checked(unixNow: Double) -> Result<ClientCertificateInfo, ClientKeyProblem> {
        if let problem = ClientKeyProblem.check(certificate: certificate, key: key, password: password) {
            return .failure(problem)
        }
        guard let info = ClientCertificateInfo.read(pem: certificate) else {
            return .failure(.badCertificate)
        }
        guard info.notAfter > unixNow else { return .failure(.expired) }
        return .success(info)
    }
}

extension ClientKeyPair: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The sizes only: the key's bytes and its password are secrets.
    var description: String {
        "ClientKeyPair(certificate: \(certificate.count) bytes, key: <redacted>, password: \(password == nil ? "nil" : "<redacted>"))"
    }

    var debugDescription: String { description }

    /// `dump()` and the debugger's default view would otherwise print the key and its password.
    var customMirror: Mirror { Mirror(self, children: ["redacted": description], displayStyle: .struct) }
}
