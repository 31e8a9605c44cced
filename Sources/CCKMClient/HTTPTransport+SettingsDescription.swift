extension HTTPTransport.Settings: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The settings with the key password and the key's bytes redacted (paths are no secret).
    public var description: String {
        let parts = [
            "caFile: \(caFile ?? "nil")", "insecureSkipVerify: \(insecureSkipVerify)",
            "requestTimeout: \(requestTimeout)", "connectTimeout: \(connectTimeout)",
            "maxResponseBytes: \(maxResponseBytes)",
            "clientCertificateFile: \(clientCertificateFile ?? "nil")",
            "clientKeyFile: \(clientKeyFile ?? "nil")",
            "clientKeyPassword: \(clientKeyPassword == nil ? "nil" : "<redacted>")",
            "clientCertificatePEM: \(clientCertificatePEM.map { "\($0.count) bytes" } ?? "nil")",
            "clientKeyPEM: \(clientKeyPEM == nil ? "nil" : "<redacted>")",
        ]
        return "HTTPTransport.Settings(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    /// `dump()` and the debugger's default view would otherwise print the key and its password.
    public var customMirror: Mirror {
        Mirror(self, children: ["redacted": description], displayStyle: .struct)
    }
}
