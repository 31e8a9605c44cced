import Foundation

/// Where the secrets of one CM come from on disk, watched for in-place rotation: the password
/// and refresh-token files, and the client certificate, its key and the key's password file.
/// Nil paths are not watched (a secret from the environment, or none).
public struct CredentialFiles: Sendable, Equatable {
    public var passwordFile: String?
    public var refreshTokenFile: String?
    /// PEM client certificate presented on every TLS connection to CM.
    public var certificateFile: String?
    /// Its PEM private key (encrypted only with ``keyPasswordFile``).
    public var keyFile: String?
    public var keyPasswordFile: String?

    public init(
        passwordFile: String? = nil, refreshTokenFile: String? = nil, certificateFile: String? = nil,
        keyFile: String? = nil, keyPasswordFile: String? = nil
    ) {
        self.passwordFile = passwordFile
        self.refreshTokenFile = refreshTokenFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.keyPasswordFile = keyPasswordFile
    }

    /// True when a client certificate is configured.
    public var hasClientCertificate: Bool { certificateFile != nil && keyFile != nil }
}

/// What changed on disk since the last look (``CredentialWatch/changes()``).
struct CredentialChanges {
    var password: String?
    var refreshToken: String?
    /// The certificate, key or key password changed: the next login needs a new TLS connection.
    var clientCertificateChanged = false
    /// The secrets newly read (the key's bytes, its password, a password, a refresh token).
    var secrets: [String] = []

    var isEmpty: Bool { password == nil && refreshToken == nil && !clientCertificateChanged }
}

/// The watched credential files of one CM: ``changes()`` stats each and re-reads those that
/// changed. Cheap enough to call before every login and while a login is refused.
struct CredentialWatch: Sendable {
    private var password: WatchedFile?
    private var refreshToken: WatchedFile?
    private var certificate: WatchedFile?
    private var key: WatchedFile?
    private var keyPassword: WatchedFile?
    /// The secrets as last read, so that a file rewritten with the same text is no change.
    private var known: (password: String?, refreshToken: String?)
    /// The client certificate as read at creation.
    let initialCertificate: ClientCertificateInfo?
    /// The key password as read at creation, and the secrets read then (key bytes, password).
    let initialKeyPassword: String?
    let initialSecrets: [String]

    /// Reads the certificate files now; `loaded` holds the secrets the configuration read.
    init(_ files: CredentialFiles, loaded: CMCredentials) {
        password = files.passwordFile.map { WatchedFile(path: $0) }
        refreshToken = files.refreshTokenFile.map { WatchedFile(path: $0) }
        certificate = files.certificateFile.map { WatchedFile(path: $0) }
        key = files.keyFile.map { WatchedFile(path: $0) }
        keyPassword = files.keyPasswordFile.map { WatchedFile(path: $0) }
        known = (loaded.password, loaded.refreshToken)
        initialCertificate = certificate?.content.flatMap(ClientCertificateInfo.read)
        initialKeyPassword = keyPassword?.content.flatMap(Self.secretText)
        initialSecrets = (key?.content.map(Self.keySecrets) ?? []) + [initialKeyPassword].compactMap { $0 }
    }

    /// Takes the secrets a reload read from the same files as known, so that the files a
    /// reload already read are no change at the next look.
    mutating func adopt(_ loaded: CMCredentials) {
        known = (loaded.password, loaded.refreshToken)
    }

    /// What changed since the last call.
    mutating func changes() -> CredentialChanges {
        var changes = CredentialChanges()
        if let text = password?.changedContent().flatMap(Self.secretText), text != known.password {
            known.password = text
            changes.password = text
            changes.secrets.append(text)
        }
        if let text = refreshToken?.changedContent().flatMap(Self.secretText), text != known.refreshToken {
            known.refreshToken = text
            changes.refreshToken = text
            changes.secrets.append(text)
        }
        let newCertificate = certificate?.changedContent()
        let newKey = key?.changedContent()
        let newKeyPassword = keyPassword?.changedContent().flatMap(Self.secretText)
        if let newKey { changes.secrets += Self.keySecrets(newKey) }
        if let newKeyPassword { changes.secrets.append(newKeyPassword) }
        changes.clientCertificateChanged = newCertificate != nil || newKey != nil || newKeyPassword != nil
        return changes
    }

    /// The client certificate, key and key password as last read (an unreadable file as no
    /// bytes, which ``ClientKeyPair/checked()`` refuses); nil without a client certificate.
    var clientKeyPair: ClientKeyPair? {
        guard let certificate, let key else { return nil }
        return ClientKeyPair(
            certificate: certificate.content ?? [], key: key.content ?? [],
            password: keyPassword?.content.flatMap(Self.secretText))
    }

    /// A secret file's text without leading and trailing line breaks (as the configuration
    /// reads it), nil when that leaves nothing.
    static func secretText(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines)
        return text.isEmpty ? nil : text
    }

    /// A private key's base64 body (its lines joined) and each of its lines, for the scrubber;
    /// not the `-----BEGIN … PRIVATE KEY-----` lines or `Proc-Type:`/`DEK-Info:` headers, which
    /// are the same in every key and would cut words like `BEGIN` or `-----` out of every log
    /// line and page.
    static func keySecrets(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter {
            !$0.hasPrefix("-----") && !$0.contains(":") && !$0.allSatisfy(\.isWhitespace)
        }
        guard !lines.isEmpty else { return [] }
        return [lines.joined(separator: "\n")] + lines.filter { $0.count >= 16 }
    }
}
