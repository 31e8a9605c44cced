import ExporterConfig

/// What `--config.check` prints: every target and listing that would be polled. No secrets.
enum ConfigurationSummary {
    static func text(_ configuration: ExporterConfiguration) -> String {
        var lines = [
            "configuration OK: \(configuration.targets.count) target(s), poll every \(PrometheusDuration.format(configuration.pollInterval)), timeout \(PrometheusDuration.format(configuration.pollTimeout))"
        ]
        for target in configuration.targets {
            let auth = [
                target.auth.username.map { "user \($0)" },
                target.auth.domain.map { "domain \($0)" },
                target.auth.authDomain.map { "auth domain \($0)" },
                target.auth.password != nil ? "password set" : nil,
                target.auth.refreshToken != nil ? "refresh token set" : nil,
            ].compactMap { $0 }.joined(separator: ", ")
            let tls =
                target.tls.insecureSkipVerify
                ? "TLS verification DISABLED" : (target.tls.caFile.map { "CA file \($0)" } ?? "system CAs")
            lines.append(
                "- cm=\(target.name) url=\(target.url) clouds=\(target.clouds.joined(separator: ",")) page_size=\(target.pageSize) (\(auth); \(tls))"
            )
        }
        return lines.joined(separator: "\n")
    }
}
