import HTTPServer

/// Which API endpoint a request is for, decided from its method and path alone.
enum APIRoute: Equatable, Sendable {
    case login
    case list(listing: String)
    case get(listing: String, id: String)
    case start(listing: String)
    case cancel(listing: String, id: String)
    /// A known path with the wrong method; `allow` is the `Allow` header.
    case methodNotAllowed(allow: String, listing: String?)
    case notFound

    static let loginPath = "/api/v1/auth/tokens"
    static let listingPrefix = "/api/v1/cckm/"

    init(method: String, path rawPath: String, listings: [String]) {
        let path =
            rawPath.count > 1 && rawPath.hasSuffix("/") ? String(rawPath.dropLast()) : rawPath
        if path == Self.loginPath {
            self = method == "POST" ? .login : .methodNotAllowed(allow: "POST", listing: nil)
            return
        }
        guard path.hasPrefix(Self.listingPrefix) else {
            self = .notFound
            return
        }
        let rest = path.dropFirst(Self.listingPrefix.count)
        let reading = method == "GET" || method == "HEAD"
        for name in listings {
            guard let listingPath = SimulatorListings.path(of: name) else { continue }
            if rest == listingPath {
                switch method {
                case _ where reading: self = .list(listing: name)
                case "POST": self = .start(listing: name)
                default: self = .methodNotAllowed(allow: "GET, HEAD, POST", listing: name)
                }
                return
            }
            guard rest.hasPrefix(listingPath + "/") else { continue }
            let parts = rest.dropFirst(listingPath.count + 1).split(
                separator: "/", omittingEmptySubsequences: false)
            switch (parts.count, method) {
            case (_, _) where parts[0].isEmpty, (2, _) where parts[1] != "cancel":
                self = .notFound
            case (1, _) where reading: self = .get(listing: name, id: String(parts[0]))
            case (1, _): self = .methodNotAllowed(allow: "GET, HEAD", listing: name)
            case (2, "POST"): self = .cancel(listing: name, id: String(parts[0]))
            case (2, _): self = .methodNotAllowed(allow: "POST", listing: name)
            default: self = .notFound
            }
            return
        }
        self = .notFound
    }

    /// The key this request is counted under in ``SimulatorStats/requests``.
    var statsKey: String {
        switch self {
        case .login: "auth"
        case .list(let listing): "list:\(listing)"
        case .get(let listing, _): "get:\(listing)"
        case .start(let listing): "start:\(listing)"
        case .cancel(let listing, _): "cancel:\(listing)"
        case .methodNotAllowed, .notFound: "other"
        }
    }

    var listing: String? {
        switch self {
        case .list(let listing), .get(let listing, _), .start(let listing), .cancel(let listing, _):
            listing
        case .methodNotAllowed(_, let listing): listing
        case .login, .notFound: nil
        }
    }

    var faultKind: Fault.RequestKind { self == .login ? .auth : .api }
}
