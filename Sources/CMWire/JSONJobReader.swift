/// One element of `resources`: a usable job, or the reason it was skipped.
enum DecodedJobElement {
    case job(SyncJob)
    case invalid(InvalidJob)
}

/// The job fields the metrics use; every other key is skipped without being materialised.
enum JobMemberName {
    case id, overallStatus, createdAt, completedAt, abort, detailedStatus, other

    @inline(__always)
    init(_ key: UnsafeBufferPointer<UInt8>) {
        // The length picks the one candidate; the bytes confirm it.
        switch key.count {
        case 2: self = JSONScanner.bytes(key, equal: "id") ? .id : .other
        case 5: self = JSONScanner.bytes(key, equal: "abort") ? .abort : .other
        case 9: self = JSONScanner.bytes(key, equal: "createdAt") ? .createdAt : .other
        case 12: self = JSONScanner.bytes(key, equal: "completed_at") ? .completedAt : .other
        case 14: self = JSONScanner.bytes(key, equal: "overall_status") ? .overallStatus : .other
        case 15: self = JSONScanner.bytes(key, equal: "detailed_status") ? .detailedStatus : .other
        default: self = .other
        }
    }
}

/// A timestamp member as found: `null`, `""`, a parsed time, or something unusable.
enum DecodedTimestamp {
    case null, empty, invalid
    case seconds(Double)
}

/// What one job object said, member by member (a repeated key: the last one wins).
struct DecodedJobFields {
    /// Status of a job that has none (`overall_status` absent, null or empty).
    static let unknownStatus = "unknown"

    var id: String?
    var status: String?
    var statusMalformed = false
    var createdAt: Double?
    var completedAt = DecodedTimestamp.null
    var abortRequested = false
    var abortMalformed = false
    var detailedStatus: [SyncJob.ScopeStatus] = []
    var detailedStatusMalformed = false

    /// The job, or why it is unusable: no id first, then a bad `createdAt`, then wrong types.
    var element: DecodedJobElement {
        guard let id else { return .invalid(InvalidJob(id: nil, reason: .missingID)) }
        guard let createdAt else { return .invalid(InvalidJob(id: id, reason: .badCreatedAt)) }
        guard !statusMalformed, !abortMalformed, !detailedStatusMalformed else {
            return .invalid(InvalidJob(id: id, reason: .malformed))
        }
        var completed: Double?
        var completedInvalid = false
        switch completedAt {
        case .null, .empty: break
        case .invalid: completedInvalid = true
        case .seconds(let seconds): completed = seconds == RFC3339.goZeroTime ? nil : seconds
        }
        return .job(
            SyncJob(
                id: id, status: status ?? Self.unknownStatus, createdAt: createdAt,
                completedAt: completed, completedAtInvalid: completedInvalid,
                abortRequested: abortRequested, detailedStatus: detailedStatus))
    }
}

extension JSONScanner {
    /// Reads the job object whose `{` is at the current position; `depth` is its nesting level.
    /// Only syntax errors throw: a job that is valid JSON but unusable comes back `.invalid`.
    mutating func readJob(depth: Int) throws(JSONScanError) -> DecodedJobElement {
        var fields = DecodedJobFields()
        if try enterObject(depth: depth) {
            repeat {
                let key = try readKey()
                try readJobMember(
                    withValueBytes(key, JobMemberName.init), into: &fields, depth: depth &+ 1)
            } while try nextMember()
        }
        return fields.element
    }

    private mutating func readJobMember(
        _ key: JobMemberName, into fields: inout DecodedJobFields, depth: Int
    ) throws(JSONScanError) {
        switch key {
        case .other:
            try skipValue(depth: depth)
        case .id:
            let id = try readString(depth: depth)
            fields.id = id?.isEmpty == false ? id : nil
        case .overallStatus:
            let isNull = try peekValue() == UInt8(ascii: "n")
            let status = try readString(depth: depth)
            fields.statusMalformed = status == nil && !isNull
            fields.status = status?.isEmpty == false ? status : nil
        case .createdAt:
            if case .seconds(let seconds) = try readTimestamp(depth: depth) {
                fields.createdAt = seconds
            } else {
                fields.createdAt = nil
            }
        case .completedAt:
            fields.completedAt = try readTimestamp(depth: depth)
        case .abort:
            let abort = try readBool(depth: depth)
            fields.abortRequested = abort ?? false
            fields.abortMalformed = abort == nil
        case .detailedStatus:
            let entries = try readScopeStatuses(depth: depth)
            fields.detailedStatus = entries ?? []
            fields.detailedStatusMalformed = entries == nil
        }
    }

    /// A string member's value; nil (after skipping it) when it is any other type.
    private mutating func readString(depth: Int) throws(JSONScanError) -> String? {
        guard try peekValue() == UInt8(ascii: "\"") else {
            try skipValue(depth: depth)
            return nil
        }
        return string(try scanString())
    }

    /// A boolean member's value; `null` is false; nil (after skipping it) for any other type.
    private mutating func readBool(depth: Int) throws(JSONScanError) -> Bool? {
        switch try peekValue() {
        case UInt8(ascii: "t"):
            try consumeLiteral("true")
            return true
        case UInt8(ascii: "f"):
            try consumeLiteral("false")
            return false
        case UInt8(ascii: "n"):
            try consumeLiteral("null")
            return false
        default:
            try skipValue(depth: depth)
            return nil
        }
    }

    /// An RFC 3339 member parsed straight from the document's bytes.
    private mutating func readTimestamp(depth: Int) throws(JSONScanError) -> DecodedTimestamp {
        switch try peekValue() {
        case UInt8(ascii: "\""):
            let token = try scanString()
            guard token.length > 0 else { return .empty }
            let seconds = withValueBytes(token) { RFC3339.parse(UnsafeRawBufferPointer($0)) }
            return seconds.map(DecodedTimestamp.seconds) ?? .invalid
        case UInt8(ascii: "n"):
            try consumeLiteral("null")
            return .null
        default:
            try skipValue(depth: depth)
            return .invalid
        }
    }

    /// `detailed_status` in document order, skipping entries whose value is not a string;
    /// `null` is empty; nil (after skipping it) when it is not an object.
    private mutating func readScopeStatuses(depth: Int) throws(JSONScanError) -> [SyncJob
        .ScopeStatus]?
    {
        switch try peekValue() {
        case UInt8(ascii: "{"):
            var entries: [SyncJob.ScopeStatus] = []
            guard try enterObject(depth: depth) else { return entries }
            repeat {
                let scope = try readKey()
                if try peekValue() == UInt8(ascii: "\"") {
                    let text = try scanString()
                    entries.append(SyncJob.ScopeStatus(scope: string(scope), text: string(text)))
                } else {
                    try skipValue(depth: depth &+ 1)
                }
            } while try nextMember()
            return entries
        case UInt8(ascii: "n"):
            try consumeLiteral("null")
            return []
        default:
            try skipValue(depth: depth)
            return nil
        }
    }
}
