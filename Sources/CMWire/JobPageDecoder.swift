/// One page of `GET /api/v1/cckm/<cloud>/synchronization-jobs`: `{skip, limit, total, resources}`.
public struct JobPage: Sendable, Equatable {
    /// The most entries a page's `total` may reserve room for: a `total` that lies costs at
    /// most a few megabytes.
    public static let reservationCap = 250_000

    /// The page's `skip`, `limit` and `total`; nil when absent or not an integer.
    public var skip: Int?
    public var limit: Int?
    public var total: Int?
    /// The usable jobs of `resources`, in document order.
    public var jobs: [SyncJob]
    /// The elements of `resources` that were skipped, in document order, with the reason.
    public var invalid: [InvalidJob]

    public init(
        skip: Int? = nil, limit: Int? = nil, total: Int? = nil, jobs: [SyncJob] = [],
        invalid: [InvalidJob] = []
    ) {
        self.skip = skip
        self.limit = limit
        self.total = total
        self.jobs = jobs
        self.invalid = invalid
    }
}

/// Why a whole document is unusable, so that the poll fails with reason `decode`.
///
/// The message names the byte offset and what was expected there, and quotes at most the one
/// byte found: never the document's content.
public struct JobDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }

    init(_ error: JSONScanError) {
        message =
            "byte \(error.offset): expected \(error.expected), found \(Self.describe(error.found))"
    }

    private static func describe(_ byte: UInt8?) -> String {
        guard let byte else { return "the end of the document" }
        if (0x21...0x7E).contains(byte) { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}

/// Decodes CipherTrust Manager's synchronization-job listings in one pass over the bytes.
///
/// Only the fields ``SyncJob`` holds are turned into values; everything else (`uri`, `account`,
/// `kms`, `regions`, …) is validated and skipped. A job that is valid JSON but unusable does not
/// fail the page: it lands in ``JobPage/invalid`` and decoding goes on.
///
/// Mapping: `id` a non-empty string (else `missing_id`); `createdAt` RFC 3339 (else
/// `bad_created_at`); `overall_status` a string, `"unknown"` when absent, null or empty;
/// `abort` a bool, false when absent or null; `detailed_status` an object whose string values
/// are kept in document order, `[]` when absent or null. A known field of another type makes the
/// job `malformed`. `completed_at` absent, null, empty or Go's zero time is nil; one that does not
/// parse is nil with ``SyncJob/completedAtInvalid`` set.
public enum JobPageDecoder {
    /// Decodes a listing page `{skip, limit, total, resources:[job…]}`; unknown keys are ignored.
    /// Throws when the document is not valid JSON, is truncated, is not an object, or holds a
    /// `resources` that is neither an array nor null; `resources` absent or null is no jobs (CM
    /// leaves it out when nothing matches) in an object with paging members (`skip`, `limit`,
    /// `total`) and none of an error body's (`code`, `codeDesc`, `message`).
    public static func decodePage(_ bytes: UnsafeRawBufferPointer) throws(JobDecodingError)
        -> JobPage
    {
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw emptyDocument }
        var scanner = JSONScanner(
            base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        do throws(JSONScanError) {
            let page = try readPage(&scanner)
            try scanner.expectEnd()
            return page
        } catch {
            throw JobDecodingError(error)
        }
    }

    /// Decodes a listing page; see ``decodePage(_:)-(UnsafeRawBufferPointer)``.
    public static func decodePage(_ bytes: [UInt8]) throws(JobDecodingError) -> JobPage {
        // Array.withUnsafeBytes rethrows untyped errors: carry the typed one out in a Result.
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(JobDecodingError) in try decodePage(buffer) }
        }
        .get()
    }

    /// Decodes one bare job object (the answer of `GET …/synchronization-jobs/{id}`); a job that
    /// would be invalid in a listing throws, naming the reason.
    public static func decodeJob(_ bytes: [UInt8]) throws(JobDecodingError) -> SyncJob {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(JobDecodingError) in try decodeJob(buffer) }
        }
        .get()
    }

    /// Decodes one bare job object from borrowed bytes; see ``decodeJob(_:)-([UInt8])``.
    public static func decodeJob(_ bytes: UnsafeRawBufferPointer) throws(JobDecodingError)
        -> SyncJob
    {
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw emptyDocument }
        var scanner = JSONScanner(
            base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        let element: DecodedJobElement
        do throws(JSONScanError) {
            try expectObject(&scanner, "'{' starting the job object")
            element = try scanner.readJob(depth: 1)
            try scanner.expectEnd()
        } catch {
            throw JobDecodingError(error)
        }
        switch element {
        case .job(let job): return job
        case .invalid(let invalid):
            throw JobDecodingError(message: "unusable job: \(invalid.reason.rawValue)")
        }
    }

    private static let emptyDocument = JobDecodingError(
        JSONScanError(offset: 0, expected: "a JSON object", found: nil))

    private static func expectObject(_ scanner: inout JSONScanner, _ expected: StaticString)
        throws(JSONScanError)
    {
        guard try scanner.peekValue() == UInt8(ascii: "{") else {
            throw scanner.error(expected: expected)
        }
    }

    /// The listing object; `skip`, `limit`, `total` and `resources` may come in any order.
    private static func readPage(_ scanner: inout JSONScanner) throws(JSONScanError) -> JobPage {
        try expectObject(&scanner, "'{' starting the listing object")
        var page = JobPage()
        var members = Set<PageMemberName>()
        if try scanner.enterObject(depth: 1) {
            repeat {
                let key = try scanner.readKey()
                let member = scanner.withValueBytes(key, PageMemberName.init)
                members.insert(member)
                switch member {
                case .skip: page.skip = try readInteger(&scanner)
                case .limit: page.limit = try readInteger(&scanner)
                case .total: page.total = try readInteger(&scanner)
                case .resources:
                    (page.jobs, page.invalid) = try readResources(&scanner, sizeHint: page.limit)
                case .errorMember, .other: try scanner.skipValue(depth: 2)
                }
            } while try scanner.nextMember()
        }
        // CM leaves `resources` (and `total`) out of an answer that matches nothing (API-FACTS):
        // no jobs, and `total` stays unknown unless the answer gave it. Only a listing object
        // says that, though: one with its paging members and no error's (`{}` or an error body
        // from CM or a proxy is no proof that nothing matches).
        guard
            members.contains(.resources)
                || (!members.isDisjoint(with: [.skip, .limit, .total]) && !members.contains(.errorMember))
        else {
            scanner.index &-= 1  // point at the closing brace
            throw scanner.error(expected: "a \"resources\" array, or the paging members of an empty listing")
        }
        return page
    }

    /// An integer member; nil (after skipping it) for a fraction, an overflow or another type.
    private static func readInteger(_ scanner: inout JSONScanner) throws(JSONScanError) -> Int? {
        let first = try scanner.peekValue()
        guard first == UInt8(ascii: "-") || first &- UInt8(ascii: "0") < 10 else {
            try scanner.skipValue(depth: 2)
            return nil
        }
        return scanner.integer(try scanner.scanNumber())
    }

    /// `resources`: an array of job objects, or null for none. Anything else fails the page.
    private static func readResources(
        _ scanner: inout JSONScanner, sizeHint: Int?
    ) throws(JSONScanError) -> ([SyncJob], [InvalidJob]) {
        var jobs: [SyncJob] = []
        var invalid: [InvalidJob] = []
        switch try scanner.peekValue() {
        case UInt8(ascii: "n"):
            try scanner.consumeLiteral("null")
        case UInt8(ascii: "["):
            // A page is rarely larger than its limit; cap the hint so a hostile limit costs nothing.
            jobs.reserveCapacity(min(max(sizeHint ?? 0, 0), 10_000))
            guard try scanner.enterArray(depth: 2) else { break }
            repeat {
                guard try scanner.peekValue() == UInt8(ascii: "{") else {
                    try scanner.skipValue(depth: 3)
                    invalid.append(InvalidJob(id: nil, reason: .malformed))
                    continue
                }
                switch try scanner.readJob(depth: 3) {
                case .job(let job): jobs.append(job)
                case .invalid(let job): invalid.append(job)
                }
            } while try scanner.nextElement()
        default:
            throw scanner.error(expected: "an array or null for \"resources\"")
        }
        return (jobs, invalid)
    }
}

/// The listing's own members.
private enum PageMemberName {
    case skip, limit, total, resources
    /// `code`, `codeDesc` or `message`: CM's error body (API-FACTS).
    case errorMember
    case other

    init(_ key: UnsafeBufferPointer<UInt8>) {
        if JSONScanner.bytes(key, equal: "skip") {
            self = .skip
        } else if JSONScanner.bytes(key, equal: "limit") {
            self = .limit
        } else if JSONScanner.bytes(key, equal: "total") {
            self = .total
        } else if JSONScanner.bytes(key, equal: "resources") {
            self = .resources
        } else if JSONScanner.bytes(key, equal: "code") || JSONScanner.bytes(key, equal: "codeDesc")
            || JSONScanner.bytes(key, equal: "message")
        {
            self = .errorMember
        } else {
            self = .other
        }
    }
}
