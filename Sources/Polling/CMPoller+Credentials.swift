import CCKMClient
import ExporterConfig
import Logging

/// Credentials rotated in place, and reloads that change only credentials.
extension CMPoller {
    /// Logs what the client's token provider reports, and keeps the certificate's expiry
    /// metric current.
    static func credentialEventHandler(cm: String, logger: Logger, state: ExporterState)
        -> @Sendable (CredentialEvent) -> Void
    {
        { event in
            switch event {
            case .reread(let what, let certificate):
                var metadata: Logger.Metadata = ["what": "\(what.joined(separator: ","))"]
                if let certificate {
                    metadata["serial"] = "\(certificate.serial)"
                    metadata["not_after"] = "\(ClientCertificateInfo.utc(certificate.notAfter))"
                    state.setClientCertificateExpiry(cm: cm, certificate.notAfter)
                }
                logger.info("credentials re-read", metadata: metadata)
            case .clientCertificateRefused(let problem, let presented):
                state.setClientCertificateRotationRefused(cm: cm)
                var metadata: Logger.Metadata = [
                    "err":
                        "\(problem.concernsCertificate ? "the certificate file" : "the key file") \(problem)"
                ]
                if let presented {
                    metadata["serial"] = "\(presented.serial)"
                    metadata["not_after"] = "\(ClientCertificateInfo.utc(presented.notAfter))"
                }
                logger.warning(
                    "client certificate rotation refused, the last good one stays presented",
                    metadata: metadata)
            case .loginRefused(let message, let retryAfter):
                logger.warning(
                    "login refused",
                    metadata: [
                        "err": "\(message)", "retry_after": "\(PrometheusDuration.format(retryAfter))",
                    ])
            }
        }
    }

    /// Takes a reload's new credentials for the same target
    /// (``TargetConfiguration/differsOnlyInCredentials(from:)``): the next login uses them;
    /// the listings keep their state.
    func replaceCredentials(_ target: TargetConfiguration) {
        client.tokens.replace(target.clientCredentials)
        logger.info("credentials replaced by a reload")
    }
}
