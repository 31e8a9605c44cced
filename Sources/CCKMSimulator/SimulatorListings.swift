/// The listings the simulator serves: one per row of the contract's table (CONTRACT.md §1).
public enum SimulatorListings {
    /// Every listing name, in the contract's order.
    public static let names: [String] = all.map(\.name)

    /// The API path of a listing after `/api/v1/cckm/`, e.g. `aws/synchronization-jobs`.
    public static func path(of listing: String) -> String? { descriptor(named: listing)?.path }

    static func descriptor(named name: String) -> ListingDescriptor? {
        all.first { $0.name == name }
    }

    static let all: [ListingDescriptor] = [
        ListingDescriptor(
            name: "aws", path: "aws/synchronization-jobs", cloud: "aws",
            shape: .accountRegions(connections: awsConnections, regions: awsRegions),
            successText: "region synchronized successfully",
            failureText: "failed to sync region: AccessDeniedException: User: "
                + "arn:aws:iam::123456789012:user/cckm is not authorized to perform: kms:ListKeys",
            cancelledStatus: "aborted"),
        ListingDescriptor(
            name: "aws-custom-key-stores", path: "aws/custom-key-stores/synchronization-jobs",
            cloud: "aws",
            shape: .keyStores(
                connections: awsConnections.map(\.name),
                stores: ["cks-hsm-payments", "cks-hsm-identity", "cks-xks-archive"]),
            successText: "Success",
            failureText: "failed to sync custom key store: CustomKeyStoreInvalidStateException: "
                + "the custom key store is disconnected",
            cancelledStatus: "aborted"),
        azure(name: "azure", path: "azure/synchronization-jobs"),
        azure(name: "azure-certificates", path: "azure/certificates/synchronization-jobs"),
        azure(name: "azure-secrets", path: "azure/secrets/synchronization-jobs"),
        ListingDescriptor(
            name: "google", path: "google/synchronization-jobs", cloud: "gcp",
            shape: .list(
                key: "key_rings",
                values: [
                    "projects/acme-prod/locations/us-east1/keyRings/payments",
                    "projects/acme-prod/locations/europe-west1/keyRings/identity",
                    "projects/acme-dev/locations/global/keyRings/sandbox",
                ]),
            successText: "key ring synchronized successfully",
            failureText: "failed to sync key ring: rpc error: code = PermissionDenied desc = "
                + "Permission 'cloudkms.cryptoKeys.list' denied",
            cancelledStatus: "completed"),
        ListingDescriptor(
            name: "oci", path: "oci/synchronization-jobs", cloud: "oci",
            shape: .list(
                key: "vaults",
                values: [
                    "ocid1.vault.oc1.iad.amaaaaaaprodpayments",
                    "ocid1.vault.oc1.fra.amaaaaaaprodidentity",
                    "ocid1.vault.oc1.phx.amaaaaaadevsandbox",
                ]),
            successText: "Success",
            failureText: "failed to sync vault: NotAuthorizedOrNotFound: Authorization failed",
            cancelledStatus: "aborted"),
        ListingDescriptor(
            name: "sap", path: "sap/synchronization-jobs", cloud: "sap",
            shape: .list(key: "groups", values: ["finance-keys", "hr-keys", "platform-keys"]),
            successText: "Success",
            failureText: "failed to sync group: 403 Forbidden: insufficient privileges",
            cancelledStatus: "aborted"),
        ListingDescriptor(
            name: "sfdc-keys", path: "sfdc/keys/synchronization-jobs", cloud: "salesforce",
            shape: .list(key: "organizations", values: salesforceOrganizations),
            successText: "Success",
            failureText:
                "failed to sync organization: INVALID_SESSION_ID: Session expired or invalid",
            cancelledStatus: "aborted"),
        ListingDescriptor(
            name: "sfdc-certificates", path: "sfdc/certificates/synchronization-jobs",
            cloud: "salesforce", shape: .list(key: nil, values: salesforceOrganizations),
            successText: "Success",
            failureText:
                "failed to sync organization: INVALID_SESSION_ID: Session expired or invalid",
            cancelledStatus: "aborted"),
    ]

    /// KMS connections (the `kms` array) and the AWS accounts behind them. The first one is
    /// the reference example's.
    static let awsConnections: [AWSConnection] = [
        AWSConnection(name: "kms", account: "123456789012"),
        AWSConnection(name: "kms-dev", account: "210987654321"),
    ]

    static let awsRegions = [
        "us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1", "ap-northeast-1",
    ]

    private static let salesforceOrganizations = ["00D5g000004SbcdEAC", "00D5g000008WxyzEAA"]

    private static func azure(name: String, path: String) -> ListingDescriptor {
        ListingDescriptor(
            name: name, path: path, cloud: "azure",
            shape: .list(
                key: "key_vaults",
                values: [
                    "kv-prod-eastus", "kv-prod-westeurope", "kv-dev-eastus", "kv-shared-uksouth",
                ]),
            successText: "Success",
            failureText: "failed to sync key vault: keyvault.BaseClient#GetKeys: Failure "
                + "responding to request: StatusCode=403 Code=\"Forbidden\"",
            cancelledStatus: "aborted")
    }
}

/// One listing: where it lives, what its jobs look like, and the texts they carry.
struct ListingDescriptor: Sendable {
    /// The `cloud` label value, e.g. `aws-custom-key-stores`.
    let name: String
    /// Path after `/api/v1/cckm/`.
    let path: String
    /// The jobs' own `cloud` field (`gcp` for google, `azure` for the Azure listings).
    let cloud: String
    let shape: ScopeShape
    /// `detailed_status` text of a synchronized scope entry.
    let successText: String
    /// `detailed_status` text of the entry that made a job fail.
    let failureText: String
    /// `overall_status` of a cancelled job: `aborted`, but `completed` for GCP.
    let cancelledStatus: String

    /// Query keys that filter by scope (repeatable): the job's scope arrays.
    var scopeFilterKeys: [String] { shape.arrayKeys }
}

/// An AWS KMS connection of CCKM: its name (in a job's `kms` array) and account.
struct AWSConnection: Sendable, Equatable {
    let name: String
    let account: String
}
