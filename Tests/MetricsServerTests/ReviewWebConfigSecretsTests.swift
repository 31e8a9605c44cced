import MetricsServer
import Testing

/// A web configuration that is not valid YAML is refused with an error that goes to the log
/// and to the `POST /-/reload` answer: it must not quote the file's lines, which hold the
/// bcrypt hashes of `basic_auth_users`.
@Suite("Review: web config errors carry no hashes")
struct ReviewWebConfigSecretsTests {
    static let hash = "$2y$10$mCAOlG1dITged/7A2TO1hePu6Dzf5zWfGOcFyH01t7i.f7u8RRvoS"

    @Test(
        "invalid YAML on a hash line: the error does not repeat the hash",
        arguments: [
            "basic_auth_users:\n  admin: \(hash)\n  bad: \"\(hash)\n",
            "basic_auth_users:\n  admin: [\(hash)\n",
            "basic_auth_users:\n  admin: \(hash)\n\tbad: x\n",
        ])
    func invalidYAMLQuotesNothing(text: String) {
        do {
            _ = try WebConfigLoader.parse(text, directory: "/tmp")
            Issue.record("expected the file to be refused")
        } catch {
            #expect(!"\(error)".contains("mCAOlG1dITged"), "\(error)")
            #expect("\(error)".contains("YAML"))
        }
    }
}
