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
            state.rejection = nil
            if let token = state.token { state.token?.renewAt = min(token.renewAt, now()) }
        }
        SecretRegistry.shared.register(credentials.secrets, owner: self, pinned: true)
    }

    /// Re-reads the credential files that changed and applies them; the event to report, or
    /// nil when nothing changed.
    func rereadCredentials(_ state: inout State) -> CredentialEvent? {
        let changes = state.watch.changes()
        guard !changes.isEmpty else { return nil }
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
        if changes.clientCertificateChanged {
            sender.transports.renew(keyPassword: changes.keyPassword)
            if let certificate = changes.certificate { state.clientCertificate = certificate }
            what.append("client certificate")
        }
        return .reread(what: what, certificate: changes.certificate)
    }
}
