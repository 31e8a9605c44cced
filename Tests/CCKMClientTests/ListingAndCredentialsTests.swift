import CCKMClient
import Testing

@Suite("listing table and credentials (contract section 1)")
struct ListingAndCredentialsTests {
    @Test("every listing of the contract's table, with its path and scope key")
    func listingTable() {
        let table = Listing.all.map { "\($0.name) \($0.path) \($0.scopeKey ?? "-")" }
        #expect(
            table == [
                "aws aws/synchronization-jobs kms",
                "aws-custom-key-stores aws/custom-key-stores/synchronization-jobs kms",
                "azure azure/synchronization-jobs key_vaults",
                "azure-certificates azure/certificates/synchronization-jobs key_vaults",
                "azure-secrets azure/secrets/synchronization-jobs key_vaults",
                "google google/synchronization-jobs key_rings",
                "oci oci/synchronization-jobs vaults",
                "sap sap/synchronization-jobs groups",
                "sfdc-keys sfdc/keys/synchronization-jobs organizations",
                "sfdc-certificates sfdc/certificates/synchronization-jobs -",
            ])
        #expect(Listing.named("google")?.path == "google/synchronization-jobs")
        #expect(Listing.named("gcp") == nil)
    }

    @Test("printing credentials never shows the password or the refresh token")
    func credentialsRedacted() {
        let credentials = CMCredentials(
            username: "metrics", password: "hunter2-pw", domain: "root",
            refreshToken: "rt-abcdef-123")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [
            "\(credentials)", String(describing: credentials), String(reflecting: credentials),
            dumped, "\([credentials])",
        ] {
            #expect(!text.contains("hunter2-pw"), "\(text)")
            #expect(!text.contains("rt-abcdef-123"), "\(text)")
        }
        #expect("\(credentials)".contains("metrics"))
        #expect("\(credentials)".contains("<redacted>"))
    }

    @Test("any combination of the contract is usable: refresh token alone, password alone, both")
    func credentialCombinations() {
        #expect(CMCredentials(refreshToken: "t").hasRefreshToken)
        #expect(!CMCredentials(refreshToken: "t").canUsePassword)
        #expect(CMCredentials(username: "u", password: "p").canUsePassword)
        #expect(!CMCredentials(username: "u", password: "").canUsePassword)
        let both = CMCredentials(username: "u", password: "p", refreshToken: "t")
        #expect(both.canUsePassword && both.hasRefreshToken)
    }
}
