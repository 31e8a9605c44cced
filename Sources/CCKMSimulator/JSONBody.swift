import Foundation
import TextFormats

/// A request body read as a JSON object, with typed getters that name the offending field.
/// Request bodies are small (logins, control calls), parsed whole by `JSONObject`.
struct JSONBody {
    private let object: [String: Any]

    /// An empty body reads as `{}` when `allowEmpty`; anything but a JSON object is a 400.
    init(_ bytes: [UInt8], allowEmpty: Bool = false) throws(APIError) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            guard allowEmpty else { throw .badRequest("request body must be a JSON object") }
            object = [:]
            return
        }
        guard let dictionary = JSONObject.parse(bytes) else {
            throw .badRequest("request body is not valid JSON")
        }
        object = dictionary
    }

    var keys: Dictionary<String, Any>.Keys { object.keys }

    func contains(_ key: String) -> Bool { object[key] != nil && !(object[key] is NSNull) }

    /// Throws naming the first key not in `known`.
    func rejectUnknownKeys(_ known: Set<String>) throws(APIError) {
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw .badRequest("unknown field \"\(unknown)\"")
        }
    }

    func string(_ key: String) throws(APIError) -> String? {
        try typed(key, "a string") { $0 as? String }
    }

    func strings(_ key: String) throws(APIError) -> [String]? {
        try typed(key, "an array of strings") { $0 as? [String] }
    }

    func int(_ key: String) throws(APIError) -> Int? {
        try typed(key, "an integer") { ($0 as? NSNumber).flatMap { Int(exactly: $0.doubleValue) } }
    }

    func double(_ key: String) throws(APIError) -> Double? {
        try typed(key, "a number") { ($0 as? NSNumber)?.doubleValue }
    }

    func bool(_ key: String) throws(APIError) -> Bool? {
        try typed(key, "true or false") { $0 as? Bool }
    }

    private func typed<T>(_ key: String, _ kind: String, _ cast: (Any) -> T?) throws(APIError) -> T? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let typed = cast(value) else { throw .badRequest("\(key) must be \(kind)") }
        return typed
    }
}
