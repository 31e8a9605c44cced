import StrictYAML

/// Reads `basic_auth_users`: user → bcrypt hash, checked for shape so that a typo or a
/// clear-text password is refused at load instead of locking everyone out.
enum BasicAuthUsers {
    static func read(_ section: YAMLField?, yaml: StrictYAMLReader)
        throws(WebConfigError) -> [String: String]
    {
        guard let section,
            let entries = try yaml.section(section.node, at: section.path, allowedKeys: nil)
        else { return [:] }
        var users: [String: String] = [:]
        for (user, entry) in entries {
            if user.isEmpty || user.contains(":") {
                throw WebConfigError(
                    field: entry.path, problem: "a user name must be non-empty and without ':'")
            }
            let hash = try yaml.string(entry.node, at: entry.path)
            guard isBcryptHash(hash) else {
                // The value is not repeated: it might be a clear-text password.
                throw WebConfigError(
                    field: entry.path,
                    problem:
                        "must be a bcrypt hash ($2y$10$…), e.g. from htpasswd -nBC 10 \"\" | tr -d ':\\n'")
            }
            users[user] = hash
        }
        return users
    }

    /// `$2a$`, `$2b$` or `$2y$`, a cost 04–31, `$`, 22 salt + 31 hash characters of bcrypt's
    /// base-64 alphabet.
    static func isBcryptHash(_ hash: String) -> Bool {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
            [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]),
            bytes[3] == UInt8(ascii: "$"), bytes[6] == UInt8(ascii: "$"),
            let cost = Int(String(decoding: bytes[4...5], as: UTF8.self)), (4...31).contains(cost)
        else { return false }
        return bytes[7...].allSatisfy { byte in
            byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }
}
