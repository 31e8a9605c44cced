import Testing
import TextFormats

@Suite("Percent-encoding")
struct PercentEncodingTests {
    @Test("RFC 3986 unreserved characters stay, every other UTF-8 byte is %XX")
    func escape() {
        #expect(PercentEncoding.escape("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9")
        #expect(PercentEncoding.escape("prod-1.eu_x~AZaz09") == "prod-1.eu_x~AZaz09")
        #expect(PercentEncoding.escape("%+\u{0}") == "%25%2B%00")
    }

    @Test("a query joins escaped keys and values; keys may repeat")
    func query() {
        #expect(
            PercentEncoding.query([("sort", "-createdAt"), ("kms", "a b/c&d=é"), ("kms", "x")])
                == "sort=-createdAt&kms=a%20b%2Fc%26d%3D%C3%A9&kms=x")
        #expect(PercentEncoding.query([]) == "")
    }
}
