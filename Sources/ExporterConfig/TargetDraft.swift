import CCKMClient
import Foundation

/// A target as written (YAML or flags), before validation. ``validate()`` turns
/// it into a ``TargetConfiguration`` or a ``ConfigurationError`` naming the field the way the
/// user wrote it (`targets[0].url` or `--cm.url`).
package struct TargetDraft {
    package var name: String?
    package var url: String?
    package var clouds: [String]?
    package var pageSize: Int?
    package var username: String?
    package var domain: String?
    package var authDomain: String?
    package var passwordFile: String?
    package var refreshTokenFile: String?
    package var caFile: String?
    package var insecureSkipVerify = false
    /// `auth.grant` as written.
    package var grant: String?
    package var clientCertFile: String?
    package var clientKeyFile: String?
    package var clientKeyPasswordFile: String?
    /// Secrets given through the environment (flags mode only).
    package var passwordFromEnvironment: String?
    package var refreshTokenFromEnvironment: String?
    /// Maps a canonical key (`url`, `auth.password_file`) to how the user spelled the field.
    package var fieldName: (String) -> String

    package init(fieldName: @escaping (String) -> String) {
        self.fieldName = fieldName
    }

    package func validate() throws(ConfigurationError) -> TargetConfiguration {
        let url = try validatedURL()
        let name = try validatedName(url: url)
        let clouds = try validatedClouds()
        let pageSize = pageSize ?? 500
        guard (1...10_000).contains(pageSize) else {
            throw error("page_size", "must be between 1 and 10000, got \(pageSize)")
        }
        let client = try validatedClientCertificate()
        let auth = try validatedAuth(hasClientCertificate: client != nil)
        if let caFile { try requireReadable(caFile, field: "tls.ca_file") }
        return TargetConfiguration(
            name: name, url: url, clouds: clouds, pageSize: pageSize, auth: auth,
            tls: TLSConfiguration(caFile: caFile, insecureSkipVerify: insecureSkipVerify, client: client))
    }

    func error(_ key: String, _ problem: String) -> ConfigurationError {
        ConfigurationError(field: fieldName(key), problem: problem)
    }

    private func validatedURL() throws(ConfigurationError) -> String {
        guard let url, !url.isEmpty else { throw error("url", "is required") }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else { throw error("url", "must be an http:// or https:// URL, got \"\(url)\"") }
        guard let host = components.host, !host.isEmpty else {
            throw error("url", "has no host: \"\(url)\"")
        }
        guard components.user == nil, components.password == nil else {
            throw error("url", "must not carry credentials; use auth.password_file")
        }
        guard components.query == nil, components.fragment == nil else {
            throw error("url", "must not have a query or fragment: \"\(url)\"")
        }
        var trimmed = url
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    private func validatedName(url: String) throws(ConfigurationError) -> String {
        if let name {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw error("name", "must not be empty")
            }
            return name
        }
        return URLComponents(string: url)?.host ?? url
    }

    private func validatedClouds() throws(ConfigurationError) -> [String] {
        let clouds = clouds ?? ["aws"]
        guard !clouds.isEmpty else { throw error("clouds", "must name at least one listing") }
        var seen = Set<String>()
        for cloud in clouds {
            guard Listing.named(cloud) != nil else {
                let known = Listing.all.map(\.name).joined(separator: ", ")
                throw error("clouds", "unknown listing \"\(cloud)\" (known: \(known))")
            }
            guard seen.insert(cloud).inserted else { throw error("clouds", "lists \"\(cloud)\" twice") }
        }
        return clouds
    }

    private func validatedAuth(hasClientCertificate: Bool) throws(ConfigurationError) -> AuthConfiguration {
        var password: Secret?
        var refreshToken: Secret?
        if let passwordFile {
            password = try readSecret(passwordFile, field: "auth.password_file")
        } else if let passwordFromEnvironment, !passwordFromEnvironment.isEmpty {
            password = Secret(passwordFromEnvironment)
        }
        if let refreshTokenFile {
            refreshToken = try readSecret(refreshTokenFile, field: "auth.refresh_token_file")
        } else if let refreshTokenFromEnvironment, !refreshTokenFromEnvironment.isEmpty {
            refreshToken = Secret(refreshTokenFromEnvironment)
        }
        let grant = try validatedGrant(
            hasPassword: password != nil, hasRefreshToken: refreshToken != nil,
            hasClientCertificate: hasClientCertificate)
        if password == nil && refreshToken == nil && grant?.usesClientCertificate != true {
            throw error("auth.password_file", "no credentials: set a password file or a refresh token file")
        }
        if password != nil && (username ?? "").isEmpty {
            throw error("auth.username", "is required with a password")
        }
        return AuthConfiguration(
            username: username, domain: domain, authDomain: authDomain, password: password,
            refreshToken: refreshToken, grant: grant, passwordFile: password == nil ? nil : passwordFile,
            refreshTokenFile: refreshToken == nil ? nil : refreshTokenFile)
    }

    func requireReadable(_ path: String, field: String) throws(ConfigurationError) {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw error(field, "cannot read \"\(path)\"")
        }
    }

    /// Reads a secret file; trailing newlines are dropped. The value never appears in errors.
    func readSecret(_ path: String, field: String) throws(ConfigurationError) -> Secret {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw error(field, "cannot read \"\(path)\"")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw error(field, "\"\(path)\" is not UTF-8 text")
        }
        let value = text.trimmingCharacters(in: .newlines)
        guard !value.isEmpty else { throw error(field, "\"\(path)\" is empty") }
        return Secret(value)
    }
}
