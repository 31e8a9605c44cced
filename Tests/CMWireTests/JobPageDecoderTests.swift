import Foundation
import Testing

@testable import CMWire

/// Reads a fixture of this test target (`Fixtures/<path>`).
func decoderFixture(_ path: String) throws -> [UInt8] {
    let root = try #require(Bundle.module.resourceURL)
    return Array(try Data(contentsOf: root.appendingPathComponent("Fixtures/" + path)))
}

/// Seconds since the epoch as the decoder computes them: whole seconds plus the fraction.
func epoch(_ whole: Double, _ fraction: Double = 0) -> Double { whole + fraction }

private func decode(_ text: String) throws(JobDecodingError) -> JobPage {
    try JobPageDecoder.decodePage(Array(text.utf8))
}

/// A page around one job object given as JSON text.
private func decodeOne(_ job: String) throws -> SyncJob {
    let page = try decode(#"{"resources":["# + job + "]}")
    #expect(page.invalid == [])
    return try #require(page.jobs.first)
}

private let created = #""createdAt":"2020-11-05T06:39:45Z""#

@Suite("Job page decoder")
struct JobPageDecoderTests {
    @Test("The API documentation's example decodes to its exact field values")
    func exampleResponse() throws {
        let page = try JobPageDecoder.decodePage(try decoderFixture("example-response.json"))
        let aborted = SyncJob(
            id: "0ea5d52e-387c-44fa-b079-21c8b768f77b", status: "aborted",
            createdAt: epoch(1_604_558_385, 0.726289), completedAt: epoch(1_604_558_397, 0.973157),
            abortRequested: true,
            detailedStatus: [.init(scope: "123456789012/us-east-1", text: "in_progress")])
        let completed = SyncJob(
            id: "afef70ff-311e-46c1-8ead-e1999e8c6d46", status: "completed",
            createdAt: epoch(1_604_558_305, 0.308834), completedAt: epoch(1_604_558_309, 0.248173),
            detailedStatus: [
                .init(scope: "123456789012/ap-south-1", text: "region synchronized successfully")
            ])
        #expect(page == JobPage(skip: 0, limit: 10, total: 2, jobs: [aborted, completed]))
    }

    @Test("Each unusable job lands in invalid with its reason and id, and decoding goes on")
    func invalidJobsAreCollected() throws {
        let page = try JobPageDecoder.decodePage(try decoderFixture("decoder/invalid-jobs.json"))
        let expected: [InvalidJob] =
            Array(repeating: InvalidJob(id: nil, reason: .malformed), count: 4)
            + Array(repeating: InvalidJob(id: nil, reason: .missingID), count: 4) + [
                InvalidJob(id: "no-created-at", reason: .badCreatedAt),
                InvalidJob(id: "created-yesterday", reason: .badCreatedAt),
                InvalidJob(id: "created-number", reason: .badCreatedAt),
                InvalidJob(id: "status-number", reason: .malformed),
                InvalidJob(id: "abort-string", reason: .malformed),
                InvalidJob(id: "detailed-array", reason: .malformed),
                InvalidJob(id: nil, reason: .missingID),
            ]
        #expect(page.invalid == expected)
        #expect(
            page.jobs == [SyncJob(id: "still-decoded", status: "failed", createdAt: 1_604_558_385)])
        #expect(page.total == 16)
    }

    @Test("Unknown fields of every JSON type are skipped, wherever they stand")
    func unknownFieldsAreSkipped() throws {
        let page = try JobPageDecoder.decodePage(try decoderFixture("decoder/unknown-fields.json"))
        let job = SyncJob(
            id: "5f3a9c1e-0000-4000-8000-000000000001", status: "in_progress",
            createdAt: epoch(1_625_104_799, 0.5),
            detailedStatus: [
                .init(scope: "111111111111/us-east-1", text: "in_progress"),
                .init(scope: "111111111111/us-west-2", text: "region synchronized successfully"),
            ])
        #expect(page == JobPage(skip: 20, limit: 50, total: 21, jobs: [job]))
    }

    @Test("Escapes and Unicode in ids, statuses, scopes and keys are resolved")
    func escapesAndUnicode() throws {
        let page = try JobPageDecoder.decodePage(try decoderFixture("decoder/escapes.json"))
        let created = epoch(1_645_568_542)
        #expect(page.invalid == [])
        #expect(
            page.jobs == [
                SyncJob(
                    id: #"quote"backslash\slash/"#, status: "état 😀 café", createdAt: created,
                    abortRequested: true,
                    detailedStatus: [
                        .init(scope: "tab\there\nnewline", text: "\u{8}\u{C}\r"),
                        .init(scope: "café/日本", text: "\u{0}nul"),
                    ]),
                SyncJob(
                    id: "escaped-key", status: "completed", createdAt: epoch(1_645_568_542, 1e-9),
                    completedAt: created + 1),
                SyncJob(
                    id: "lone\u{FFFD}high\u{FFFD}low", status: "raw é 日本 😀", createdAt: created),
            ])
    }

    @Test("Invalid UTF-8 becomes the replacement character instead of failing")
    func invalidUTF8IsReplaced() throws {
        let bytes =
            Array(#"{"resources":[{"id":"a"#.utf8) + [0xFF, 0xC3]
            + Array(#"b",\#(created)}]}"#.utf8)
        let page = try JobPageDecoder.decodePage(bytes)
        #expect(page.jobs.map(\.id) == ["a\u{FFFD}\u{FFFD}b"])
    }

    @Test("Quotes, escapes, control bytes and non-ASCII are found at every offset of a string")
    func stringBoundaries() throws {
        // The scanner reads strings eight bytes at a time: put each special byte at each offset.
        for length in 0..<20 {
            for position in 0...length {
                let head = String(repeating: "a", count: position)
                let tail = String(repeating: "é", count: length - position)
                for (written, value) in [
                    (#"\""#, "\""), (#"\\"#, "\\"), (#"\u00FF"#, "ÿ"), ("ÿ", "ÿ"), ("", ""),
                ] {
                    let job = try decodeOne(#"{"id":"j\#(head + written + tail)",\#(created)}"#)
                    #expect(job.id == "j" + head + value + tail)
                }
                #expect(throws: JobDecodingError.self) {
                    try decode(#"{"x":"\#(head)\#u{1F}\#(tail)","resources":[]}"#)
                }
                #expect(throws: JobDecodingError.self) { try decode(#"{"x":"\#(head)\#(tail)"#) }
            }
        }
    }

    @Test("completed_at absent, null, empty or Go's zero time is nil; garbage is flagged")
    func completedAtForms() throws {
        for member in [
            "", #","completed_at":null"#, #","completed_at":"""#,
            #","completed_at":"0001-01-01T00:00:00Z""#,
        ] {
            let job = try decodeOne(#"{"id":"j",\#(created)\#(member)}"#)
            #expect(job.completedAt == nil && !job.completedAtInvalid, "\(member)")
        }
        for member in [#","completed_at":"soon""#, #","completed_at":17"#, #","completed_at":{}"#] {
            let job = try decodeOne(#"{"id":"j",\#(created)\#(member)}"#)
            #expect(job.completedAt == nil && job.completedAtInvalid, "\(member)")
        }
        let done = try decodeOne(
            #"{"id":"j",\#(created),"completed_at":"2020-11-05T07:39:46+01:00"}"#)
        #expect(done.completedAt == 1_604_558_386 && !done.completedAtInvalid)
    }

    @Test("overall_status absent, null or empty is unknown; other texts are kept verbatim")
    func statusForms() throws {
        for member in ["", #","overall_status":null"#, #","overall_status":"""#] {
            #expect(try decodeOne(#"{"id":"j",\#(created)\#(member)}"#).status == "unknown")
        }
        let odd = try decodeOne(#"{"id":"j",\#(created),"overall_status":"partially done"}"#)
        #expect(odd.status == "partially done")
    }

    @Test("abort and detailed_status default to false and empty when absent or null")
    func abortAndDetailedDefaults() throws {
        let bare = try decodeOne(#"{"id":"j",\#(created)}"#)
        let nulls = try decodeOne(#"{"id":"j",\#(created),"abort":null,"detailed_status":null}"#)
        for job in [bare, nulls] {
            #expect(!job.abortRequested && job.detailedStatus.isEmpty)
        }
    }

    @Test("A repeated member counts once: the last one wins")
    func repeatedMembers() throws {
        let job = try decodeOne(
            #"{"id":"first","overall_status":5,\#(created),"id":"second","overall_status":"failed"}"#
        )
        #expect(job.id == "second" && job.status == "failed")
    }

    @Test("skip, limit and total are integers; anything else is nil")
    func pageNumbers() throws {
        let page = try decode(
            #"{"skip":-5,"limit":9223372036854775807,"total":-9223372036854775808,"resources":[]}"#)
        #expect(page == JobPage(skip: -5, limit: Int.max, total: Int.min))
        for value in ["10.0", "1e2", #""10""#, "9223372036854775808", "null", "true", "[10]", "{}"] {
            let odd = try decode(
                #"{"skip":\#(value),"limit":\#(value),"total":\#(value),"resources":[]}"#)
            #expect(odd == JobPage(), "\(value)")
        }
    }

    @Test(
        "resources absent (beside paging members) or null is an empty page (API-FACTS); of another type, or in an error body or {}, it fails the page"
    )
    func resourcesMember() throws {
        #expect(try decode(#"{"total":0,"resources":null}"#) == JobPage(total: 0))
        #expect(try decode(#"  {"resources" : [ ] }  "#) == JobPage())
        #expect(try decode(#"{"skip":0,"total":2}"#) == JobPage(skip: 0, total: 2))
        for text in [
            #"{"resources":{}}"#, #"{"resources":"[]"}"#, #"{"resources":0}"#, "{}",
            #"{"data":{"resources":[{"id":"a"}]}}"#,
            #"{"code":1,"codeDesc":"NCERRInternalServerError","message":"unexpected error","total":0}"#,
        ] {
            #expect(throws: JobDecodingError.self, "\(text)") { try decode(text) }
        }
    }

    @Test(
        "An empty listing as CM sends it: resources absent, null or [], with or without total (API-FACTS)",
        arguments: [
            (#"{"skip":0,"limit":10}"#, nil), (#"{"limit":1}"#, nil), (#"{"resources":null}"#, nil),
            (#"{"skip":0,"limit":10,"total":0,"resources":null}"#, 0), (#"{"total":0,"resources":[]}"#, 0),
            (#"{"total":7}"#, 7),
        ] as [(String, Int?)])
    func emptyListingShapes(body: String, total: Int?) throws {
        let page = try decode(body)
        #expect(page.jobs.isEmpty && page.invalid.isEmpty)
        #expect(page.total == total, "a missing total stays unknown, never 0")
    }

    @Test("The error names the byte offset and what was expected, quoting one byte at most")
    func errorMessage() {
        #expect(throws: JobDecodingError(message: "byte 14: expected a value, found '}'")) {
            try decode(#"{"resources":[}"#)
        }
        #expect(
            throws: JobDecodingError(
                message: "byte 0: expected '{' starting the listing object, found '['")
        ) {
            try decode("[]")
        }
        #expect(
            throws: JobDecodingError(
                message: #"byte 13: expected an array or null for "resources", found '"'"#)
        ) {
            try decode(#"{"resources":"s3cr"}"#)
        }
        do {
            _ = try decode(#"{"token":"s3cr3t-value\"#)
            Issue.record("an unterminated string decoded")
        } catch {
            #expect(
                !error.message.contains("s3cr3t")
                    && error.message.contains("the end of the document"))
        }
    }

    @Test("Nesting deeper than 64 levels fails the page without exhausting the stack")
    func nestingLimit() throws {
        // The listing object is level 1, so an unknown member's value starts at level 2.
        func nested(_ levels: Int) -> String {
            #"{"x":"# + String(repeating: "[", count: levels)
                + String(repeating: "]", count: levels)
                + #","resources":[]}"#
        }
        #expect(try decode(nested(63)) == JobPage())
        #expect(throws: JobDecodingError.self) { try decode(nested(64)) }
        #expect(throws: JobDecodingError.self) {
            try decode(#"{"x":"# + String(repeating: "[{\"a\":", count: 100_000))
        }
    }

    @Test("A bare job object decodes; an unusable one or trailing bytes throw")
    func bareJob() throws {
        let job = try JobPageDecoder.decodeJob(
            Array(#" {"id":"j",\#(created),"abort":true} "#.utf8))
        #expect(
            job
                == SyncJob(
                    id: "j", status: "unknown", createdAt: 1_604_558_385, abortRequested: true))
        #expect(throws: JobDecodingError(message: "unusable job: bad_created_at")) {
            try JobPageDecoder.decodeJob(Array(#"{"id":"j"}"#.utf8))
        }
        for text in ["", "[]", #"{"id":"j",\#(created)} {}"#, #"{"id":"j",\#(created)"#] {
            #expect(throws: JobDecodingError.self, "\(text)") {
                try JobPageDecoder.decodeJob(Array(text.utf8))
            }
        }
    }
}
