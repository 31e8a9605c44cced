import Foundation
import Testing
import TextFormats

@Suite("C strings and small JSON objects")
struct SmallPiecesTests {
    @Test("nil is a null pointer; text is NUL-terminated")
    func optionalCString() {
        #expect(withOptionalCString(nil) { $0 == nil })
        #expect(withOptionalCString("ca.pem") { $0.map { String(cString: $0) } } == "ca.pem")
        #expect(withOptionalCString("") { $0.map { strlen($0) } } == 0)
    }

    @Test("a JSON object parses; anything else is nil")
    func jsonObject() {
        let object = JSONObject.parse(Array(#"{"jwt":"j","duration":300}"#.utf8))
        #expect(object?["jwt"] as? String == "j")
        #expect(object?["duration"] as? Int == 300)
        #expect(JSONObject.parse(Array("[1]".utf8)) == nil)
        #expect(JSONObject.parse(Array("{".utf8)) == nil)
        #expect(JSONObject.parse([]) == nil)
    }
}
