import CCKMClient
import ExporterConfig
import Foundation

/// What `--config.check` prints: every target and listing that would be polled, and when sharded
/// which shard polls each. No secrets.
enum ConfigurationSummary {
    /// A client certificate expiring within this is warned about.
    static let certificateWarning: Double = 14 * 86_400

    /// - Parameter now: Unix seconds, for the client certificates' expiry warnings.
    static func text(_ configuration: ExporterConfiguration, now: Double = Date().timeIntervalSince1970)
        -> String
    {
        var lines = [
            "configuration OK: \(configuration.targets.count) target(s), poll every \(PrometheusDuration.format(configuration.pollInterval)), timeout \(PrometheusDuration.format(configuration.pollTimeout))"
        ]
        let sharding = configuration.sharding
        if sharding.isSharded {
            let owned = configuration.ownedTargets.map(\.name)
            lines.append(
                "shard \(sharding.shard) of \(sharding.totalShards) polls \(owned.count) of \(configuration.targets.count) target(s): \(owned.isEmpty ? "none" : owned.joined(separator: ","))"
            )
        }
        for target in configuration.targets {
            let auth = [
                target.auth.username.map { "user \($0)" },
                target.auth.domain.map { "domain \($0)" },
                target.auth.authDomain.map { "auth domain \($0)" },
                target.auth.password != nil ? "password set" : nil,
                target.auth.refreshToken != nil ? "refresh token set" : nil,
                target.auth.grant.map { "grant \($0.rawValue)" },
                target.tls.client.map {
                    "client certificate serial \($0.certificate.serial) until \(ClientCertificateInfo.utc($0.certificate.notAfter))"
                },
            ].compactMap { $0 }.joined(separator: ", ")
            let tls =
                target.tls.insecureSkipVerify
                ? "TLS verification DISABLED" : (target.tls.caFile.map { "CA file \($0)" } ?? "system CAs")
            lines.append(
                "- cm=\(target.name) url=\(target.url) clouds=\(target.clouds.joined(separator: ",")) page_size=\(target.pageSize) (\(auth); \(tls))\(owner(target, sharding))"
            )
            if let client = target.tls.client, client.certificate.notAfter - now < certificateWarning {
                let days = Int(((client.certificate.notAfter - now) / 86_400).rounded(.down))
                lines.append(
                    "warning: cm=\(target.name) client certificate \(client.certificateFile) expires in \(days) day(s), at \(ClientCertificateInfo.utc(client.certificate.notAfter))"
                )
            }
        }
        return lines.joined(separator: "\n")
    }

    /// ` shard=I (this shard)` or ` shard=I` when sharded; nothing otherwise.
    private static func owner(_ target: TargetConfiguration, _ sharding: ShardAssignment) -> String {
        guard sharding.isSharded else { return "" }
        let shard = ShardAssignment.owner(of: target.name, totalShards: sharding.totalShards)
        return " shard=\(shard)\(shard == sharding.shard ? " (this shard)" : "")"
    }
}
