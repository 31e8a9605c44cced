import Foundation
import TextFormats

/// JSON for the few small documents outside the job listings: login bodies and answers, and
/// CM's error bodies (parsed by `JSONObject`). Listings go through `JobPageDecoder`, which is
/// built for volume.
enum SmallJSON {
    /// A number field as seconds (JSON integers and fractions alike).
    static func number(_ value: Any?) -> Double? {
        switch value {
        case let value as Int: Double(value)
        case let value as Double: value
        case let value as NSNumber where !(value is Bool): value.doubleValue
        default: nil
        }
    }

    /// An object of string fields in the given order, e.g. a login body.
    static func encode(_ fields: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.append(key, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONString.append(value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
