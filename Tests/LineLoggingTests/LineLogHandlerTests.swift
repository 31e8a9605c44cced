import Foundation
import Logging
import Synchronization
import Testing

@testable import LineLogging

private final class Lines: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
}

@Suite("Log lines")
struct LineLogHandlerTests {
    private func logger(_ format: LogFormat, _ sink: Lines) -> Logger {
        Logger(label: "test") { _ in
            LineLogHandler(format: format, level: .info) { line in sink.lines.withLock { $0.append(line) } }
        }
    }

    @Test("logfmt: ts, level, msg, then cm and cloud, values quoted when needed")
    func logfmt() throws {
        let sink = Lines()
        var log = logger(.logfmt, sink)
        log[metadataKey: "cm"] = "prod"
        log.warning("poll failing", metadata: ["cloud": "aws", "err": "http: 503 \"busy\""])
        log.debug("hidden below the level")
        let line = try #require(sink.all.first)
        #expect(sink.all.count == 1)
        #expect(line.hasPrefix("ts="))
        #expect(
            line.contains(" level=warn msg=\"poll failing\" cm=prod cloud=aws err=\"http: 503 \\\"busy\\\"\"")
        )
    }

    @Test("json: one object per line with the same keys")
    func json() throws {
        let sink = Lines()
        logger(.json, sink).info("first poll succeeded", metadata: ["cm": "prod", "cloud": "aws"])
        let line = try #require(sink.all.first)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["level"] == "info")
        #expect(object["msg"] == "first poll succeeded")
        #expect(object["cm"] == "prod")
        #expect(object["cloud"] == "aws")
        #expect(object["ts"] != nil)
    }
}
