/// Why a web configuration file was refused: the YAML path of the field and the problem.
/// Never carries a secret (no key material, no hash, no password).
public struct WebConfigError: Error, Equatable, CustomStringConvertible {
    /// YAML path, e.g. `tls_server_config.client_auth_type`, or `(file)` for the file itself.
    public var field: String
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(field): \(problem)" }
}
