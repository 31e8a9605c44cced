import StrictYAML
import Testing
import Yams

@Suite("Strict YAML reader")
struct StrictYAMLReaderTests {
    private func root(_ text: String) throws -> Node { try #require(try Yams.compose(yaml: text)) }

    @Test("an unknown key is refused with its path and the known ones, in one line")
    func unknownKey() throws {
        let node = try root("poll_intervall: 30s\n")
        let refused = FieldError(
            field: "poll_intervall", problem: "unknown field (known: poll_interval, targets)")
        #expect(throws: refused) {
            try StrictYAMLReader().mapping(node, at: "", allowedKeys: ["poll_interval", "targets"])
        }
        #expect(refused.description == "poll_intervall: unknown field (known: poll_interval, targets)")
    }

    @Test("nested paths, list indexes, wrong types and keys given twice name the field")
    func paths() throws {
        let reader = StrictYAMLReader()
        let node = try root("targets:\n  - auth: {user: x}\n")
        let targets = try reader.mapping(node, at: "", allowedKeys: ["targets"])["targets"]!
        let first = try reader.sequence(targets.node, at: targets.path)[0]
        let auth = try reader.mapping(first, at: "targets[0]", allowedKeys: ["auth"])["auth"]!
        #expect(auth.path == "targets[0].auth")
        #expect(throws: FieldError(field: "targets[0].auth", problem: "must be a text value")) {
            try reader.string(auth.node, at: auth.path)
        }
        // Yams refuses a repeated key when parsing; a tree built by hand can still hold one.
        let twice = Node.mapping(Node.Mapping([("a", "1"), ("a", "2")]))
        #expect(throws: FieldError(field: "x.a", problem: "is given twice")) {
            try reader.mapping(twice, at: "x", allowedKeys: nil)
        }
        let list = try root("[1, 2]")
        #expect(throws: FieldError(field: "(top level)", problem: "must be a mapping")) {
            try reader.mapping(list, at: "", allowedKeys: nil)
        }
        let word = try root("ten")
        #expect(throws: FieldError(field: "clouds", problem: "must be a list, e.g. [aws]")) {
            try reader.strings(word, at: "clouds", example: "[aws]")
        }
        #expect(throws: FieldError(field: "page_size", problem: "must be a whole number, got \"ten\"")) {
            try reader.int(word, at: "page_size")
        }
        #expect(throws: FieldError(field: "x", problem: "must be true or false")) {
            try reader.bool(word, at: "x")
        }
    }

    @Test("${VAR} comes from the environment when one is given, and stays as written otherwise")
    func expansion() throws {
        let node = try root("\"https://${HOST}:${PORT}/\"")
        let expanding = StrictYAMLReader(environment: ["HOST": "cm", "PORT": "443"])
        #expect(try expanding.string(node, at: "url") == "https://cm:443/")
        #expect(throws: FieldError(field: "url", problem: "uses ${PORT}, which is not set")) {
            try StrictYAMLReader(environment: ["HOST": "cm"]).string(node, at: "url")
        }
        let unclosed = try root("\"${HOST\"")
        #expect(throws: FieldError(field: "url", problem: "has an unclosed ${")) {
            try expanding.string(unclosed, at: "url")
        }
        #expect(try StrictYAMLReader().string(node, at: "url") == "https://${HOST}:${PORT}/")
    }

    @Test("an unquoted null: empty text, list and section when asked, the text it spells if not")
    func nulls() throws {
        let node = try root("a: ~\nb: \"~\"\nc:\n")
        let fields = try StrictYAMLReader().mapping(node, at: "", allowedKeys: nil)
        let empty = StrictYAMLReader(nullIsEmpty: true)
        #expect(try empty.string(fields["a"]!.node, at: "a") == "")
        #expect(try empty.string(fields["b"]!.node, at: "b") == "~")
        #expect(try empty.strings(fields["c"]!.node, at: "c") == [])
        #expect(try empty.section(fields["c"]!.node, at: "c", allowedKeys: []) == nil)
        #expect(try empty.section(nil, at: "d", allowedKeys: []) == nil)
        #expect(try StrictYAMLReader().string(fields["a"]!.node, at: "a") == "~")
        #expect(throws: FieldError(field: "c", problem: "must be a list")) {
            try StrictYAMLReader().strings(fields["c"]!.node, at: "c")
        }
    }
}
