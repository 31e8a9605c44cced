import HTTPServer

/// An error answer in CipherTrust Manager's shape:
/// `{"code":5,"codeDesc":"NCERRUnauthorizedAccess","message":"…","requestID":"…"}`.
struct APIError: Error, Sendable, Equatable {
    var status: Int
    var code: Int
    var codeDesc: String
    var message: String

    static func badRequest(_ message: String) -> APIError {
        APIError(status: 400, code: 10, codeDesc: "NCERRInvalidParamValue", message: message)
    }

    static func unauthorized(_ message: String) -> APIError {
        APIError(status: 401, code: 5, codeDesc: "NCERRUnauthorizedAccess", message: message)
    }

    static func notFound(_ message: String) -> APIError {
        APIError(status: 404, code: 7, codeDesc: "NCERRResourceNotFound", message: message)
    }

    static func methodNotAllowed(_ method: String) -> APIError {
        APIError(
            status: 405, code: 3, codeDesc: "NCERRMethodNotAllowed",
            message: "Method \(method) not allowed")
    }

    static func conflict(_ message: String) -> APIError {
        APIError(status: 409, code: 9, codeDesc: "NCERRConflict", message: message)
    }

    /// The answer of an injected ``Fault/status``.
    static func injected(status: Int) -> APIError {
        switch status {
        case 401: return .unauthorized("Token is expired")
        case 403:
            return APIError(status: 403, code: 6, codeDesc: "NCERRForbidden", message: "Forbidden")
        case 429:
            return APIError(
                status: 429, code: 15, codeDesc: "NCERRTooManyRequests",
                message: "Too many requests")
        case 503:
            return APIError(
                status: 503, code: 14, codeDesc: "NCERRServiceUnavailable",
                message: "Service temporarily unavailable")
        default:
            return APIError(
                status: status, code: 1, codeDesc: "NCERRInternalServerError",
                message: "Internal server error")
        }
    }

    /// The HTTP answer, with a fresh `requestID`.
    func response(extraHeaders: [(name: String, value: String)] = []) -> HTTPResponse {
        var random = SystemRandomNumberGenerator()
        var json = JSONWriter()
        json.raw("{\"code\":")
        json.int(code)
        json.raw(",\"codeDesc\":")
        json.string(codeDesc)
        json.raw(",\"message\":")
        json.string(message)
        json.raw(",\"requestID\":")
        json.string(JobID(random: &random).string)
        json.raw("}")
        var response = HTTPResponse.json(status, json.bytes)
        response.headers += extraHeaders
        return response
    }
}
