import CCKMClient
import ExporterConfig

/// How a target's configuration becomes its client's credentials, watched files and transport.
extension TargetConfiguration {
    /// The login credentials and grant.
    var clientCredentials: CMCredentials {
        CMCredentials(
            username: auth.username, password: auth.password?.value, domain: auth.domain,
            authDomain: auth.authDomain, refreshToken: auth.refreshToken?.value, grant: auth.grant)
    }

    /// The secret files re-read when they change.
    var credentialFiles: CredentialFiles {
        CredentialFiles(
            passwordFile: auth.passwordFile, refreshTokenFile: auth.refreshTokenFile,
            certificateFile: tls.client?.certificateFile, keyFile: tls.client?.keyFile,
            keyPasswordFile: tls.client?.keyPasswordFile)
    }

    /// The transport settings: trust, the client certificate, the poll's timeouts and size cap.
    func transportSettings(pollTimeout: Duration, maxResponseBytes: Int) -> HTTPTransport.Settings {
        HTTPTransport.Settings(
            caFile: tls.caFile, insecureSkipVerify: tls.insecureSkipVerify,
            requestTimeout: pollTimeout, connectTimeout: min(.seconds(10), pollTimeout),
            maxResponseBytes: maxResponseBytes, clientCertificateFile: tls.client?.certificateFile,
            clientKeyFile: tls.client?.keyFile, clientKeyPassword: tls.client?.keyPassword?.value)
    }

    /// True when `other` differs from this target at most in its credentials: the username,
    /// the grant, the secrets' values and the client certificate's content (the files'
    /// paths are the same). Such a reload keeps the poller and its listings' state
    /// (``CMPoller/replaceCredentials(_:)``).
    func differsOnlyInCredentials(from other: TargetConfiguration) -> Bool {
        var mine = self
        var theirs = other
        mine.stripCredentials()
        theirs.stripCredentials()
        return mine == theirs
    }

    private mutating func stripCredentials() {
        auth.username = nil
        auth.grant = nil
        auth.password = auth.password.map { _ in Secret("") }
        auth.refreshToken = auth.refreshToken.map { _ in Secret("") }
        if var client = tls.client {
            client.keyPassword = client.keyPassword.map { _ in Secret("") }
            client.certificate = ClientCertificateInfo(notBefore: 0, notAfter: 0, serial: "", subject: "")
            tls.client = client
        }
    }
}
