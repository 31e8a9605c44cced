import Yams

/// Reads a Yams node tree strictly: unknown keys are errors (Codable would silently ignore a
/// typo such as `poll_intervall`), every error names the YAML path, and `${VAR}` in scalars is
/// expanded from the environment.
struct YAMLNodeReader {
    let environment: [String: String]

    func mapping(_ node: Node, at path: String, allowedKeys: Set<String>)
        throws(ConfigurationError) -> [String: (node: Node, path: String)]
    {
        guard case .mapping(let mapping) = node else {
            throw ConfigurationError(field: path.isEmpty ? "(top level)" : path, problem: "must be a mapping")
        }
        var fields: [String: (node: Node, path: String)] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                throw ConfigurationError(
                    field: path.isEmpty ? "(top level)" : path, problem: "has a non-text key")
            }
            let fieldPath = path.isEmpty ? key : "\(path).\(key)"
            guard allowedKeys.contains(key) else {
                let known = allowedKeys.sorted().joined(separator: ", ")
                throw ConfigurationError(field: fieldPath, problem: "unknown field (known: \(known))")
            }
            guard fields[key] == nil else {
                throw ConfigurationError(field: fieldPath, problem: "is given twice")
            }
            fields[key] = (value, fieldPath)
        }
        return fields
    }

    func string(_ node: Node, at path: String) throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node else {
            throw ConfigurationError(field: path, problem: "must be a text value")
        }
        return try expand(scalar.string, at: path)
    }

    func strings(_ node: Node, at path: String) throws(ConfigurationError) -> [String] {
        guard case .sequence(let sequence) = node else {
            throw ConfigurationError(field: path, problem: "must be a list, e.g. [aws, azure]")
        }
        var values: [String] = []
        for (index, element) in sequence.enumerated() {
            values.append(try string(element, at: "\(path)[\(index)]"))
        }
        return values
    }

    func bool(_ node: Node, at path: String) throws(ConfigurationError) -> Bool {
        guard let value = Bool(try string(node, at: path).lowercased()) else {
            throw ConfigurationError(field: path, problem: "must be true or false")
        }
        return value
    }

    func int(_ node: Node, at path: String) throws(ConfigurationError) -> Int {
        let text = try string(node, at: path)
        guard let value = Int(text) else {
            throw ConfigurationError(field: path, problem: "must be a whole number, got \"\(text)\"")
        }
        return value
    }

    func duration(_ node: Node, at path: String) throws(ConfigurationError) -> Duration {
        let text = try string(node, at: path)
        guard let value = PrometheusDuration.parse(text) else {
            throw ConfigurationError(
                field: path, problem: "must be a duration like 30s, 1m or 1h30m, got \"\(text)\"")
        }
        return value
    }

    func sequence(_ node: Node, at path: String) throws(ConfigurationError) -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw ConfigurationError(field: path, problem: "must be a list")
        }
        return Array(sequence)
    }

    /// Replaces `${NAME}` with the environment variable; an unset variable is an error.
    private func expand(_ text: String, at path: String) throws(ConfigurationError) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw ConfigurationError(field: path, problem: "has an unclosed ${")
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else {
                throw ConfigurationError(field: path, problem: "uses ${\(name)}, which is not set")
            }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
