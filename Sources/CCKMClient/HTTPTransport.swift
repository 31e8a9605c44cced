import CCurl
import Foundation
import TextFormats

/// A blocking HTTP client over libcurl: one connection cache per instance, used by one
/// thread at a time (each poller owns one). gzip and deflate answers are decoded.
///
/// libcurl is the transport (the same one FoundationNetworking uses on Linux) because it
/// gives CA files, explicit insecure mode, timeouts and response size caps in one call, and
/// builds in seconds; see docs/ARCHITECTURE.md.
public final class HTTPTransport: @unchecked Sendable {
    // @unchecked: the CURL handle is used under `lock` only.
    private let handle: UnsafeMutableRawPointer
    private let lock = NSLock()
    public let settings: Settings

    /// Transport-wide settings: TLS trust, timeouts and the body size cap.
    public struct Settings: Sendable {
        /// PEM bundle of CAs to trust instead of the system's; nil for the system's.
        public var caFile: String?
        /// Skip certificate and host name verification (logged as a warning at start).
        public var insecureSkipVerify: Bool
        /// Deadline for one whole request.
        public var requestTimeout: Duration
        /// Deadline for connecting (TCP and TLS handshake).
        public var connectTimeout: Duration
        /// A larger response body is cut off and reported as ``TransportError/Kind/tooLarge``.
        public var maxResponseBytes: Int
        /// PEM client certificate for mutual TLS; nil sends none.
        public var clientCertificateFile: String?
        /// PEM private key of ``clientCertificateFile``.
        public var clientKeyFile: String?
        /// The password of an encrypted client key (secret); nil for a plain key.
        public var clientKeyPassword: String?
        /// The client certificate's PEM bytes, presented instead of ``clientCertificateFile``
        /// when set: the pair last checked (``TransportSlot``), so that a file half-written,
        /// mismatched or gone during a rotation is never what a new connection reads.
        public var clientCertificatePEM: [UInt8]?
        /// The private key's PEM bytes (secret), presented instead of ``clientKeyFile`` when set.
        public var clientKeyPEM: [UInt8]?

        public init(
            caFile: String? = nil, insecureSkipVerify: Bool = false,
            requestTimeout: Duration = .seconds(20), connectTimeout: Duration = .seconds(10),
            maxResponseBytes: Int = 256 << 20, clientCertificateFile: String? = nil,
            clientKeyFile: String? = nil, clientKeyPassword: String? = nil,
            clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil
        ) {
            self.clientCertificatePEM = clientCertificatePEM
            self.clientKeyPEM = clientKeyPEM
            self.caFile = caFile
            self.insecureSkipVerify = insecureSkipVerify
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.maxResponseBytes = maxResponseBytes
            self.clientCertificateFile = clientCertificateFile
            self.clientKeyFile = clientKeyFile
            self.clientKeyPassword = clientKeyPassword
        }
    }

    /// An HTTP answer (any status).
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
        /// `Retry-After` in seconds when the server sent one.
        public var retryAfterSeconds: Int?
    }

    /// A request that got no HTTP answer.
    public struct TransportError: Error, CustomStringConvertible, Sendable {
        /// What went wrong, coarsely.
        public enum Kind: String, Sendable {
            case connect, dns, tls, timeout, tooLarge, other
        }
        public var kind: Kind
        /// libcurl's message; carries the host but never credentials.
        public var message: String
        public var description: String { "\(kind.rawValue): \(message)" }
    }

    public init(settings: Settings = Settings()) {
        guard let handle = ccurl_handle_new() else { fatalError("libcurl could not allocate a handle") }
        self.handle = handle
        self.settings = settings
    }

    deinit { ccurl_handle_free(handle) }

    /// Sends one request and waits for the whole answer, or throws ``TransportError``.
    public func send(
        method: String, url: String, headers: [String] = [], body: [UInt8]? = nil,
        timeout: Duration? = nil
    ) throws(TransportError) -> Response {
        lock.lock()
        defer { lock.unlock() }
        // Lives on this stack frame only: ccurl_perform clears the handle's pointers to it
        // (write, header and error buffers) before returning, so the kept handle cannot
        // reach it afterwards.
        var response = ccurl_response()
        defer { ccurl_response_free(&response) }
        let code = perform(
            method: method, url: url, headers: headers, body: body,
            timeout: timeout ?? settings.requestTimeout, into: &response)
        if code != CURLE_OK {
            throw Self.classify(code, response)
        }
        let bytes =
            response.body.map {
                Array(UnsafeRawBufferPointer(start: $0, count: response.len))
            } ?? []
        return Response(
            status: response.status, body: bytes,
            retryAfterSeconds: response.retry_after_seconds >= 0
                ? response.retry_after_seconds : nil)
    }

    private func perform(
        method: String, url: String, headers: [String], body: [UInt8]?, timeout: Duration,
        into response: inout ccurl_response
    ) -> CURLcode {
        let headerCopies = headers.map { strdup($0) }
        defer { headerCopies.forEach { free($0) } }
        var headerPointers = headerCopies.map { UnsafePointer<CChar>($0) }
        // The TLS files and the key password, as C strings for the call's duration (the
        // password's copy is wiped before it is freed).
        let tls = [
            settings.caFile, settings.clientCertificateFile, settings.clientKeyFile,
            settings.clientKeyPassword,
        ].map { $0.flatMap { strdup($0) } }
        defer {
            for copy in tls.compactMap({ $0 }) {
                memset(copy, 0, strlen(copy))
                free(copy)
            }
        }
        let payload = body ?? []
        return withClientPEM { certificatePEM, keyPEM in
            payload.withUnsafeBufferPointer { payloadBuffer in
                headerPointers.withUnsafeMutableBufferPointer { headerBuffer in
                    url.withCString { urlPointer in
                        method.withCString { methodPointer in
                            var request = ccurl_request()
                            request.url = urlPointer
                            request.method = methodPointer
                            request.body = payloadBuffer.baseAddress.map {
                                UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)
                            }
                            request.body_len = payloadBuffer.count
                            request.headers = UnsafePointer(headerBuffer.baseAddress)
                                .map { UnsafePointer<UnsafePointer<CChar>?>(OpaquePointer($0)) }
                            request.header_count = headerBuffer.count
                            request.timeout_ms = Self.milliseconds(timeout)
                            request.connect_timeout_ms = Self.milliseconds(
                                min(settings.connectTimeout, timeout))
                            request.ca_file = UnsafePointer(tls[0])
                            request.insecure = settings.insecureSkipVerify ? 1 : 0
                            request.max_response_bytes = settings.maxResponseBytes
                            request.client_cert_file = UnsafePointer(tls[1])
                            request.client_key_file = UnsafePointer(tls[2])
                            request.client_key_password = UnsafePointer(tls[3])
                            request.client_cert_pem = certificatePEM.baseAddress
                            request.client_cert_pem_len = certificatePEM.count
                            request.client_key_pem = keyPEM.baseAddress
                            request.client_key_pem_len = keyPEM.count
                            return ccurl_perform(handle, &request, &response)
                        }
                    }
                }
            }
        }
    }

    /// The client certificate's and key's PEM bytes for the call's duration (a nil base
    /// address when the settings hold none: libcurl reads the files then).
    private func withClientPEM<R>(
        _ body: (UnsafeBufferPointer<CChar>, UnsafeBufferPointer<CChar>) -> R
    ) -> R {
        func withBytes<T>(_ bytes: [UInt8]?, _ body: (UnsafeBufferPointer<CChar>) -> T) -> T {
            guard let bytes, !bytes.isEmpty else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
            return bytes.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self, body) }
        }
        return withBytes(settings.clientCertificatePEM) { certificate in
            withBytes(settings.clientKeyPEM) { key in body(certificate, key) }
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int(duration / .milliseconds(1)))
    }

    private static func classify(_ code: CURLcode, _ response: ccurl_response) -> TransportError {
        var buffer = response.error
        let detail = withUnsafeBytes(of: &buffer) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let message = detail.isEmpty ? String(cString: ccurl_strerror(code)) : detail
        if response.too_large != 0 {
            return TransportError(kind: .tooLarge, message: "response larger than the size cap")
        }
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return TransportError(kind: .dns, message: message)
        case CURLE_COULDNT_CONNECT:
            return TransportError(kind: .connect, message: message)
        case CURLE_OPERATION_TIMEDOUT:
            return TransportError(kind: .timeout, message: message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_INITFAILED:
            return TransportError(kind: .tls, message: message)
        default:
            return TransportError(kind: .other, message: message)
        }
    }
}
