import Testing

@testable import TextSafety

@Suite("Visible text")
struct VisibleTextTests {
    @Test("C0, DEL, C1, line separators and bidi controls are spelled out")
    func escapes() {
        let text = "a\u{0}\u{7}\u{1B}[31m\r\n\t\u{7F}\u{85}\u{9B}\u{2028}\u{202E}z é"
        #expect(
            VisibleText.escaped(text)
                == #"a\u0000\u0007\u001b[31m\u000d\u000a\u0009\u007f\u0085\u009b\u2028\u202ez é"#)
    }

    @Test("printable text is returned as it was")
    func printable() {
        #expect(VisibleText.escaped("cm=prod 東京 \\u001b") == "cm=prod 東京 \\u001b")
    }
}

@Suite("Secret registry")
struct SecretRegistryTests {
    final class Owner {}

    @Test("secrets count while their owner has them registered, and go when withdrawn")
    func lifecycle() {
        let registry = SecretRegistry()
        let owner = Owner()
        registry.register(["configured-pass"], owner: owner, pinned: true)
        registry.register((0..<40).map { "jwt-number-\($0)" }, owner: owner)
        #expect(registry.scrub("x configured-pass y") == "x <redacted> y")
        #expect(registry.scrub("jwt-number-39") == "<redacted>")
        #expect(registry.scrubber.reveals("jwt-number-39"))
        registry.withdraw(owner: ObjectIdentifier(owner))
        #expect(registry.scrub("configured-pass") == "configured-pass")
    }
}
