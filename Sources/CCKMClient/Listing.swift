/// One synchronization-job listing of CipherTrust Manager: the contract's listing table
/// (section 1) as data.
///
/// The ``name`` is the value of the `cloud` label; ``path`` follows `/api/v1/cckm/`.
public struct Listing: Sendable, Hashable, CustomStringConvertible {
    /// The `cloud` label value, e.g. `aws`, `sfdc-keys`.
    public let name: String
    /// The path after `/api/v1/cckm/`, e.g. `aws/synchronization-jobs`.
    public let path: String
    /// The query key that filters by scope, which is also the scope array in this listing's
    /// jobs (`kms`, `key_vaults`, …); nil when the listing has none.
    public let scopeKey: String?

    public init(name: String, path: String, scopeKey: String?) {
        self.name = name
        self.path = path
        self.scopeKey = scopeKey
    }

    /// Every listing the contract names, in the contract's order.
    public static let all: [Listing] = [
        Listing(name: "aws", path: "aws/synchronization-jobs", scopeKey: "kms"),
        Listing(
            name: "aws-custom-key-stores", path: "aws/custom-key-stores/synchronization-jobs",
            scopeKey: "kms"),
        Listing(name: "azure", path: "azure/synchronization-jobs", scopeKey: "key_vaults"),
        Listing(
            name: "azure-certificates", path: "azure/certificates/synchronization-jobs",
            scopeKey: "key_vaults"),
        Listing(
            name: "azure-secrets", path: "azure/secrets/synchronization-jobs",
            scopeKey: "key_vaults"),
        // Google's jobs say `"cloud": "gcp"`; the label keeps the listing's name.
        Listing(name: "google", path: "google/synchronization-jobs", scopeKey: "key_rings"),
        Listing(name: "oci", path: "oci/synchronization-jobs", scopeKey: "vaults"),
        Listing(name: "sap", path: "sap/synchronization-jobs", scopeKey: "groups"),
        Listing(
            name: "sfdc-keys", path: "sfdc/keys/synchronization-jobs", scopeKey: "organizations"),
        Listing(
            name: "sfdc-certificates", path: "sfdc/certificates/synchronization-jobs",
            scopeKey: nil),
    ]

    /// The listing called `name` (the `cloud` label value), or nil for an unknown name.
    public static func named(_ name: String) -> Listing? {
        all.first { $0.name == name }
    }

    public var description: String { name }
}
