import Yams

/// Strict reading of the web configuration's YAML: unknown keys are errors naming their path
/// (Codable would silently ignore a typo such as `basic_auth_user`), and so are wrong types.
struct WebConfigYAML {
    /// The mapping at `path` as key → (node, path); nil for an absent or empty (`key:`) section.
    func mapping(_ node: Node?, at path: String, allowedKeys: Set<String>)
        throws(WebConfigError) -> [String: (node: Node, path: String)]?
    {
        guard let node, !isNull(node) else { return nil }
        guard case .mapping(let mapping) = node else {
            throw WebConfigError(field: path.isEmpty ? "(top level)" : path, problem: "must be a mapping")
        }
        var fields: [String: (node: Node, path: String)] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                throw WebConfigError(
                    field: path.isEmpty ? "(top level)" : path, problem: "has a non-text key")
            }
            let fieldPath = path.isEmpty ? key.string : "\(path).\(key.string)"
            guard allowedKeys.isEmpty || allowedKeys.contains(key.string) else {
                let known = allowedKeys.sorted().joined(separator: ", ")
                throw WebConfigError(field: fieldPath, problem: "unknown field (known: \(known))")
            }
            guard fields[key.string] == nil else {
                throw WebConfigError(field: fieldPath, problem: "is given twice")
            }
            fields[key.string] = (value, fieldPath)
        }
        return fields
    }

    func string(_ node: Node, at path: String) throws(WebConfigError) -> String {
        guard case .scalar(let scalar) = node else {
            throw WebConfigError(field: path, problem: "must be a text value")
        }
        return isNull(node) ? "" : scalar.string
    }

    func bool(_ node: Node, at path: String) throws(WebConfigError) -> Bool {
        guard let value = Bool(try string(node, at: path).lowercased()) else {
            throw WebConfigError(field: path, problem: "must be true or false")
        }
        return value
    }

    func strings(_ node: Node, at path: String) throws(WebConfigError) -> [String] {
        if isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            throw WebConfigError(field: path, problem: "must be a list")
        }
        var values: [String] = []
        for (index, element) in sequence.enumerated() {
            values.append(try string(element, at: "\(path)[\(index)]"))
        }
        return values
    }

    /// `key:` with nothing after it, or `~` / `null`, written without quotes.
    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}
