import MetricsExposition
import TestSupport
import Testing

@testable import MetricsServer

@Suite("Content negotiation")
struct ContentNegotiationTests {
    @Test("Prometheus 2.x's Accept header gets OpenMetrics 1.0.0")
    func prometheusPrefersOpenMetrics() {
        let accept =
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
        #expect(ContentNegotiation.format(accept: accept) == .openMetrics)
    }

    @Test("Prometheus 2.42 with native histograms asks for protobuf first and gets it")
    func nativeHistogramPrometheusGetsProtobuf() {
        let accept =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
        #expect(ContentNegotiation.format(accept: accept) == .protobuf)
        #expect(
            ExpositionFormat.protobuf.contentType
                == "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"
        )
    }

    @Test(
        "protobuf only as delimited MetricFamily messages, and only when ranked first",
        arguments: [
            (
                "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
                .protobuf
            ),
            (
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text",
                .prometheusText
            ),
            ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily", .prometheusText),
            ("application/vnd.google.protobuf;proto=other.Message;encoding=delimited", .prometheusText),
            (
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,"
                    + "application/openmetrics-text;version=1.0.0", .openMetrics
            ),
            (
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.1,"
                    + "text/plain", .prometheusText
            ),
            (
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0",
                .prometheusText
            ),
        ] as [(String, ExpositionFormat)])
    func protobufWhenPreferred(accept: String, expected: ExpositionFormat) {
        #expect(ContentNegotiation.format(accept: accept) == expected)
    }

    @Test("the answer kept for the last header never leaks into another header's")
    func alternatingHeaders() {
        let protobuf =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"
        let openMetrics = "application/openmetrics-text;version=1.0.0"
        for _ in 0..<3 {
            #expect(ContentNegotiation.format(accept: protobuf) == .protobuf)
            #expect(ContentNegotiation.format(accept: protobuf) == .protobuf)
            #expect(ContentNegotiation.format(accept: openMetrics) == .openMetrics)
            #expect(ContentNegotiation.format(accept: "text/plain") == .prometheusText)
        }
    }

    @Test(
        "text is the default",
        arguments: [
            nil, "", "*/*", "text/plain", "text/plain;version=0.0.4", "application/json",
            "application/openmetrics-text;version=0.0.1",
            "text/plain;q=1,application/openmetrics-text;q=0.5",
            "application/openmetrics-text;q=0",
        ] as [String?])
    func textByDefault(accept: String?) {
        #expect(ContentNegotiation.format(accept: accept) == .prometheusText)
    }

    @Test(
        "gzip when Accept-Encoding allows it",
        arguments: [
            ("gzip", true), ("gzip, deflate, br", true), ("br;q=1, gzip;q=0.5", true), ("*", true),
            ("gzip;q=0", false), ("identity", false), ("", false), ("deflate", false),
        ])
    func gzip(header: String, expected: Bool) {
        #expect(ContentNegotiation.acceptsGzip(header) == expected)
    }

    @Test("no Accept-Encoding: no gzip")
    func noHeader() {
        #expect(!ContentNegotiation.acceptsGzip(nil))
    }
}

@Suite("gzip")
struct GzipTests {
    @Test(
        "what we compress, text or empty, the system's gzip reads back", .enabled(if: SystemGzip.isInstalled))
    func roundTrip() throws {
        let text = Array(String(repeating: "cckm_sync_jobs{cm=\"prod\"} 1\n", count: 500).utf8)
        let compressed = Gzip.compress(text)
        #expect(compressed.count < text.count / 5)
        #expect(compressed.prefix(2) == [0x1f, 0x8b])
        #expect(try SystemGzip.decompress(compressed) == text)
        #expect(try SystemGzip.decompress(Gzip.compress([])) == [])
    }
}
