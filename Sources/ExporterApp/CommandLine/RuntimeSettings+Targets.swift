import ExporterConfig
import Foundation

/// The targets the settings give: read from `--config.file`, or one made of the `--cm.*` flags
/// (or `--demo`'s simulator), its errors naming the flag (``flagName``) rather than the file's
/// field.
extension RuntimeSettings {
    /// The targets from the file or the flags (`demoURL` is the simulator's, for `--demo`).
    public func configuration(demo: (url: String, username: String, password: String)? = nil)
        throws(ConfigurationError) -> ExporterConfiguration
    {
        switch source {
        case .file(let path):
            return try ConfigurationLoader.load(
                path: path, defaults: (pollInterval, pollTimeout),
                fullResyncInterval: fullResyncInterval, walkTimeout: walkTimeout, limits: limits,
                environment: environment, sharding: sharding)
        case .flags, .demo:
            var draft = TargetDraft(fieldName: Self.flagName)
            if let demo {
                draft.name = "demo"
                draft.url = demo.url
                draft.username = demo.username
                draft.passwordFromEnvironment = demo.password
                draft.clouds =
                    options.cmClouds == "aws" ? ["aws", "azure", "google"] : Self.split(options.cmClouds)
            } else {
                draft.name = options.cmName
                draft.url = options.cmURL
                draft.username = options.cmUsername
                draft.domain = options.cmDomain
                draft.authDomain = options.cmAuthDomain
                draft.passwordFile = options.cmPasswordFile
                draft.refreshTokenFile = options.cmRefreshTokenFile
                draft.passwordFromEnvironment = environment["CCKM_PASSWORD"]
                draft.refreshTokenFromEnvironment = environment["CCKM_REFRESH_TOKEN"]
                draft.caFile = options.cmCAFile
                draft.insecureSkipVerify = options.cmInsecureSkipVerify
                options.clientCertificate.apply(to: &draft)
                draft.clouds = Self.split(options.cmClouds)
            }
            draft.pageSize = options.cmPageSize
            let configuration = ExporterConfiguration(
                pollInterval: pollInterval,
                pollTimeout: pollTimeout ?? ExporterConfiguration.defaultPollTimeout(interval: pollInterval),
                targets: [try draft.validate()],
                fullResyncInterval: fullResyncInterval, walkTimeout: walkTimeout, limits: limits,
                sharding: sharding.assignment)
            try ConfigurationValidation.check(
                configuration, targetsField: "--cm.url",
                intervalField: "--poll.interval", timeoutField: "--poll.timeout")
            return configuration
        }
    }

    static func split(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// How a target field is spelled on the command line.
    static let flagName: @Sendable (String) -> String = { key in
        switch key {
        case "auth.password_file": return "--cm.password-file"
        case "auth.refresh_token_file": return "--cm.refresh-token-file"
        case "auth.username": return "--cm.username"
        case "tls.ca_file": return "--cm.ca-file"
        case "page_size": return "--cm.page-size"
        default: return ClientCertificateOptions.flagName(key) ?? "--cm.\(key)"
        }
    }
}
