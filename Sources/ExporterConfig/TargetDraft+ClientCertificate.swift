import CCKMClient
import Foundation

extension TargetDraft {
    /// `auth.grant`, or the default: a client certificate with no password and no refresh token
    /// means `client_credential`; otherwise nil (the refresh token first, the password as the
    /// fallback). A grant is refused when what it needs is not configured.
    func validatedGrant(hasPassword: Bool, hasRefreshToken: Bool, hasClientCertificate: Bool)
        throws(ConfigurationError) -> LoginMethod?
    {
        guard let grant else {
            return hasClientCertificate && !hasPassword && !hasRefreshToken ? .clientCredential : nil
        }
        guard let method = LoginMethod(rawValue: grant) else {
            let known = LoginMethod.allCases.map(\.rawValue).joined(separator: ", ")
            throw error("auth.grant", "must be one of \(known), got \"\(grant)\"")
        }
        switch method {
        case .password where !hasPassword:
            throw error("auth.grant", "password needs a password file")
        case .refreshToken where !hasRefreshToken:
            throw error("auth.grant", "refresh_token needs a refresh token file")
        case .clientCredential, .userCertificate:
            guard hasClientCertificate else {
                throw error(
                    "auth.grant",
                    "\(grant) needs a client certificate (\(fieldName("tls.client_cert_file")) and \(fieldName("tls.client_key_file")))"
                )
            }
        default: break
        }
        return method
    }

    /// The client certificate and key, read and checked: both files or neither, the key
    /// belongs to the certificate (decrypted with its password when encrypted), and the
    /// certificate is valid now. Nil when none is configured.
    func validatedClientCertificate(now: Double = Date().timeIntervalSince1970)
        throws(ConfigurationError) -> ClientCertificateFiles?
    {
        if clientKeyPasswordFile != nil && clientKeyFile == nil {
            throw error("tls.client_key_password_file", "needs \(fieldName("tls.client_key_file"))")
        }
        guard clientCertFile != nil || clientKeyFile != nil else { return nil }
        guard let clientCertFile else {
            throw error("tls.client_cert_file", "is required with \(fieldName("tls.client_key_file"))")
        }
        guard let clientKeyFile else {
            throw error("tls.client_key_file", "is required with \(fieldName("tls.client_cert_file"))")
        }
        let certificatePEM = try readFile(clientCertFile, field: "tls.client_cert_file")
        let keyPEM = try readFile(clientKeyFile, field: "tls.client_key_file")
        let keyPassword = try clientKeyPasswordFile.map { (path) throws(ConfigurationError) in
            try readSecret(path, field: "tls.client_key_password_file")
        }
        guard let certificate = ClientCertificateInfo.read(pem: certificatePEM) else {
            throw error("tls.client_cert_file", "\"\(clientCertFile)\" holds no PEM certificate")
        }
        switch ClientKeyProblem.check(certificate: certificatePEM, key: keyPEM, password: keyPassword?.value)
        {
        case nil: break
        case .badCertificate:
            throw error("tls.client_cert_file", "\"\(clientCertFile)\" holds no PEM certificate")
        case .wrongPassword:
            throw error("tls.client_key_password_file", "does not decrypt \"\(clientKeyFile)\"")
        case .needsPassword:
            throw error(
                "tls.client_key_file",
                "\"\(clientKeyFile)\" is encrypted: give its password with \(fieldName("tls.client_key_password_file"))"
            )
        case .some(let problem):
            throw error("tls.client_key_file", "\"\(clientKeyFile)\" \(problem)")
        }
        guard certificate.notAfter > now else {
            throw error(
                "tls.client_cert_file",
                "\"\(clientCertFile)\" expired at \(ClientCertificateInfo.utc(certificate.notAfter)) (serial \(certificate.serial))"
            )
        }
        guard certificate.notBefore <= now else {
            throw error(
                "tls.client_cert_file",
                "\"\(clientCertFile)\" is not valid before \(ClientCertificateInfo.utc(certificate.notBefore))"
            )
        }
        return ClientCertificateFiles(
            certificateFile: clientCertFile, keyFile: clientKeyFile, keyPasswordFile: clientKeyPasswordFile,
            keyPassword: keyPassword, certificate: certificate)
    }

    private func readFile(_ path: String, field: String) throws(ConfigurationError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw error(field, "cannot read \"\(path)\"")
        }
        return [UInt8](data)
    }
}
