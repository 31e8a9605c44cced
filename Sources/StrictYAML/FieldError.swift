/// A value that cannot be used: `field` says where — a YAML path such as
/// `targets[1].auth.password_file` or `tls_server_config.client_auth_type`, a flag such as
/// `--cm.url`, or `(file)` for the file itself — and `problem` what is wrong, in one line.
/// Never carries a secret (no password, no key material, no hash).
///
/// No Yams here: the error travels where the YAML reader does not (flags, the fuzz build).
public struct FieldError: Error, Equatable, CustomStringConvertible {
    public var field: String
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    /// `field: problem`, the line shown to users.
    public var description: String { "\(field): \(problem)" }
}
