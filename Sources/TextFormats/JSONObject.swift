import Foundation

/// The small JSON documents read whole: login answers, CM's error bodies, the simulator's
/// request bodies. Foundation's parser is fine at their size; job listings, which come by the
/// megabyte, have a byte-level decoder of their own.
public enum JSONObject {
    /// The top-level object of `bytes`, or nil when they are not valid JSON or not an object.
    public static func parse(_ bytes: [UInt8]) -> [String: Any]? {
        guard let value = try? JSONSerialization.jsonObject(with: Data(bytes)) else { return nil }
        return value as? [String: Any]
    }
}
