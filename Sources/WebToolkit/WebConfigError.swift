import StrictYAML

/// Why a web configuration file was refused: the YAML path of the field (e.g.
/// `tls_server_config.client_auth_type`, or `(file)` for the file itself) and the problem.
/// Never carries a secret (no key material, no hash, no password).
public typealias WebConfigError = FieldError
