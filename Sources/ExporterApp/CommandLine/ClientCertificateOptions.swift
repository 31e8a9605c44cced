import ArgumentParser
import ExporterConfig

/// The single target's client certificate and grant flags (`--cm.client-cert-file`, …), the
/// flag spelling of YAML's `tls.client_*` and `auth.grant`.
public struct ClientCertificateOptions: ParsableArguments {
    public init() {}

    @Option(
        name: .customLong("cm.client-cert-file"),
        help: ArgumentHelp(
            "PEM client certificate presented to CM on every TLS connection (re-read when it changes).",
            valueName: "path"))
    var certificateFile: String?

    @Option(
        name: .customLong("cm.client-key-file"),
        help: ArgumentHelp("PEM private key of --cm.client-cert-file.", valueName: "path"))
    var keyFile: String?

    @Option(
        name: .customLong("cm.client-key-password-file"),
        help: ArgumentHelp(
            "File holding the password of an encrypted --cm.client-key-file.", valueName: "path"))
    var keyPasswordFile: String?

    @Option(
        name: .customLong("cm.auth-grant"),
        help: ArgumentHelp(
            "password, refresh_token, client_credential or user_certificate (default: client_credential with a client certificate and no password or refresh token; else the refresh token first, then the password).",
            valueName: "grant"))
    var grant: String?

    /// True when any of these flags was given.
    var isUsed: Bool { certificateFile != nil || keyFile != nil || keyPasswordFile != nil || grant != nil }

    /// Copies the flags into the single target's draft.
    func apply(to draft: inout TargetDraft) {
        draft.clientCertFile = certificateFile
        draft.clientKeyFile = keyFile
        draft.clientKeyPasswordFile = keyPasswordFile
        draft.grant = grant
    }

    /// How a target field of these flags is spelled on the command line, nil for the others.
    static func flagName(_ key: String) -> String? {
        switch key {
        case "tls.client_cert_file": "--cm.client-cert-file"
        case "tls.client_key_file": "--cm.client-key-file"
        case "tls.client_key_password_file": "--cm.client-key-password-file"
        case "auth.grant": "--cm.auth-grant"
        default: nil
        }
    }
}
