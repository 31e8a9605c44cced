import Foundation
import TextSafety

/// What a ``TokenProvider`` tells its owner about its credentials (the poller logs it and
/// publishes the certificate's expiry).
public enum CredentialEvent: Sendable, Equatable {
    /// Credential files changed on disk and were re-read: `what` names them (`password`,
    /// `refresh token`, `client certificate`); `certificate` is the client certificate now
    /// (when it changed).
    case reread(what: [String], certificate: ClientCertificateInfo?)
    /// CM refused a login (`message` holds no secret); the next attempt waits `retryAfter`
    /// unless a credential file changes first.
    case loginRefused(message: String, retryAfter: Duration)
    /// The client certificate files changed to something that is not a usable pair (a
    /// certificate whose key has not arrived yet, a half-written file, a wrong key password):
    /// `presented`, the last good certificate, stays in use until they do make a pair.
    case clientCertificateRefused(problem: ClientKeyProblem, presented: ClientCertificateInfo?)
}

extension TokenProvider {
    /// The client certificate presented to CM as last read (nil without one).
    public var clientCertificate: ClientCertificateInfo? { state.withLock { $0.clientCertificate } }

    /// Replaces the credentials (a reload changed only them): the next ``token(deadline:sent:)``
    /// logs in with them; the current JWT stays in use until then.
    public func replace(_ credentials: CMCredentials) {
        state.withLock { state in
            guard state.credentials != credentials else { return }
            if credentials.refreshToken != state.credentials.refreshToken {
                state.refreshToken = credentials.refreshToken
            }
            state.credentials = credentials
            state.watch.adopt(credentials)
            state.rejection = nil
            if let token = state.token { state.token?.renewAt = min(token.renewAt, now()) }
        }
        SecretRegistry.shared.register(credentials.secrets, owner: self, pinned: true)
    }

    /// Re-reads the credential files that changed and applies them; the events to report
    /// (none when nothing changed).
    func rereadCredentials(_ state: inout State) -> [CredentialEvent] {
        let changes = state.watch.changes()
        guard !changes.isEmpty else { return [] }
        SecretRegistry.shared.register(changes.secrets, owner: self, pinned: true)
        var what: [String] = []
        if let password = changes.password {
            state.credentials.password = password
            what.append("password")
        }
        if let refreshToken = changes.refreshToken {
            state.credentials.refreshToken = refreshToken
            state.refreshToken = refreshToken
            what.append("refresh token")
        }
        var certificate: ClientCertificateInfo?
        if changes.clientCertificateChanged {
            switch Self.present(state.watch.clientKeyPair, on: sender.transports) {
            case .success(let presented):
                state.clientCertificate = presented
                certificate = presented
                what.append("client certificate")
            case .failure(let problem):
                let refused = CredentialEvent.clientCertificateRefused(
                    problem: problem, presented: state.clientCertificate)
                return what.isEmpty ? [refused] : [.reread(what: what, certificate: nil), refused]
            case nil: break
            }
        }
        return what.isEmpty ? [] : [.reread(what: what, certificate: certificate)]
    }

    /// Presents `pair` on a new transport when the key belongs to the certificate: the
    /// certificate now presented, or why the pair was refused (the last good one stays
    /// presented); nil without a client certificate. A pair without a key password file is
    /// checked with the transport's key password; `unixNow` is the wall clock a certificate's
    /// expiry is compared with.
    static func present(
        _ pair: ClientKeyPair?, on transports: TransportSlot,
        unixNow: Double = Date().timeIntervalSince1970
    ) -> Result<ClientCertificateInfo, ClientKeyProblem>? {
        guard var pair else { return nil }
        if pair.password == nil { pair.password = transports.current.settings.clientKeyPassword }
        let result = pair.checked(unixNow: unixNow)
        if case .success = result { transports.present(pair) }
        return result
    }
}
