import Yams

/// A field of a YAML mapping: its node and its path (`targets[0].auth`).
public typealias YAMLField = (node: Node, path: String)

/// Reads a Yams node tree strictly: unknown keys are errors (Codable would silently ignore a
/// typo such as `poll_intervall` or `basic_auth_user`), so are wrong types and keys given
/// twice, and every error is a ``FieldError`` naming the YAML path.
///
/// Serves the exporter's configuration (`${VAR}` expanded, a null read as written) and the
/// exporter-toolkit web configuration (no expansion, an unquoted null read as empty, as Go's
/// yaml.v2 does).
public struct StrictYAMLReader: Sendable {
    /// Replaces `${NAME}` in text values (an unset name is an error); nil leaves text as written.
    public let environment: [String: String]?
    /// Whether an unquoted null (`key:` with nothing after it, `~`, `null`) reads as empty
    /// text and an empty list; otherwise `~` and `null` are the text they spell.
    public let nullIsEmpty: Bool

    public init(environment: [String: String]? = nil, nullIsEmpty: Bool = false) {
        self.environment = environment
        self.nullIsEmpty = nullIsEmpty
    }

    /// The mapping at `path` as key → field; `allowedKeys` nil lets any key through (user
    /// names, header names).
    public func mapping(_ node: Node, at path: String, allowedKeys: Set<String>?)
        throws(FieldError) -> [String: YAMLField]
    {
        let here = path.isEmpty ? "(top level)" : path
        guard case .mapping(let mapping) = node else {
            throw FieldError(field: here, problem: "must be a mapping")
        }
        var fields: [String: YAMLField] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                throw FieldError(field: here, problem: "has a non-text key")
            }
            let fieldPath = path.isEmpty ? key.string : "\(path).\(key.string)"
            if let allowedKeys, !allowedKeys.contains(key.string) {
                let known = allowedKeys.sorted().joined(separator: ", ")
                throw FieldError(field: fieldPath, problem: "unknown field (known: \(known))")
            }
            guard fields[key.string] == nil else {
                throw FieldError(field: fieldPath, problem: "is given twice")
            }
            fields[key.string] = (value, fieldPath)
        }
        return fields
    }

    /// ``mapping(_:at:allowedKeys:)`` of an optional section: nil when it is absent or an
    /// unquoted null (`tls_server_config:` with nothing under it).
    public func section(_ node: Node?, at path: String, allowedKeys: Set<String>?)
        throws(FieldError) -> [String: YAMLField]?
    {
        guard let node, !isNull(node) else { return nil }
        return try mapping(node, at: path, allowedKeys: allowedKeys)
    }

    public func string(_ node: Node, at path: String) throws(FieldError) -> String {
        guard case .scalar(let scalar) = node else {
            throw FieldError(field: path, problem: "must be a text value")
        }
        if nullIsEmpty && isNull(node) { return "" }
        return try expand(scalar.string, at: path)
    }

    /// A list of text values; `example` is added to the error for anything else
    /// (`must be a list, e.g. [aws, azure]`).
    public func strings(_ node: Node, at path: String, example: String? = nil) throws(FieldError)
        -> [String]
    {
        if nullIsEmpty && isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            throw FieldError(field: path, problem: "must be a list" + (example.map { ", e.g. \($0)" } ?? ""))
        }
        var values: [String] = []
        for (index, element) in sequence.enumerated() {
            values.append(try string(element, at: "\(path)[\(index)]"))
        }
        return values
    }

    public func bool(_ node: Node, at path: String) throws(FieldError) -> Bool {
        guard let value = Bool(try string(node, at: path).lowercased()) else {
            throw FieldError(field: path, problem: "must be true or false")
        }
        return value
    }

    public func int(_ node: Node, at path: String) throws(FieldError) -> Int {
        let text = try string(node, at: path)
        guard let value = Int(text) else {
            throw FieldError(field: path, problem: "must be a whole number, got \"\(text)\"")
        }
        return value
    }

    /// The elements of a list, for the caller to read one by one.
    public func sequence(_ node: Node, at path: String) throws(FieldError) -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw FieldError(field: path, problem: "must be a list")
        }
        return Array(sequence)
    }

    /// `key:` with nothing after it, or `~` / `null`, written without quotes.
    public func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// Replaces `${NAME}` with the environment variable; an unset variable is an error.
    private func expand(_ text: String, at path: String) throws(FieldError) -> String {
        guard let environment, text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw FieldError(field: path, problem: "has an unclosed ${")
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else {
                throw FieldError(field: path, problem: "uses ${\(name)}, which is not set")
            }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
