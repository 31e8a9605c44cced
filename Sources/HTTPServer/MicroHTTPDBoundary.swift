import CMicroHTTPD
import Foundation
import Synchronization
import TextFormats

/// The one place where Swift meets libmicrohttpd's pointers. Callbacks are `static let`s on a
/// plain enum (not closures in `main`, which Swift 6 would infer `@MainActor` and trap on
/// libmicrohttpd's threads); they reach Swift state through an `Unmanaged` ``Context``.
enum MicroHTTPDBoundary {
    /// What the C callbacks need: immutable but for a counter, so any thread may read it.
    final class Context: Sendable {
        let handler: HTTPServer.ReplyHandler
        let errorLog: @Sendable (String) -> Void
        private let deferred = Atomic<Int>(0)
        init(handler: @escaping HTTPServer.ReplyHandler, errorLog: @escaping @Sendable (String) -> Void) {
            self.handler = handler
            self.errorLog = errorLog
        }

        /// Requests parked by ``HTTPReply/deferred(_:)`` whose connection is not resumed yet.
        var deferredRequests: Int { deferred.load(ordering: .acquiring) }
        func deferredStarted() { deferred.add(1, ordering: .relaxed) }
        func deferredResumed() { deferred.subtract(1, ordering: .releasing) }
    }

    /// A deferred request's response, from the responder's thread to the resumed worker.
    private final class PendingReply: Sendable {
        private let response = Mutex<HTTPResponse?>(nil)
        func set(_ value: HTTPResponse) { response.withLock { $0 = value } }
        func take() -> HTTPResponse? { response.withLock { $0.take() } }
    }

    /// A parked connection, resumed from another thread (libmicrohttpd allows that).
    private struct ParkedConnection: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    static func start(options: HTTPServerOptions, context: Unmanaged<Context>)
        -> UnsafeMutablePointer<cmhd_server>?
    {
        let cls = context.toOpaque()
        return withOptionalCString(options.host) { host in
            withOptionalCString(options.tls?.certificatePEM) { cert in
                withOptionalCString(options.tls?.keyPEM) { key in
                    withOptionalCString(options.tls?.clientCAPEM) { clientCA in
                        withOptionalCString(options.tls?.priorities) { priorities in
                            var o = cmhd_options()
                            o.host = host
                            o.port = options.port
                            o.thread_pool_size = UInt32(max(1, options.threads))
                            o.connection_limit = UInt32(options.connectionLimit)
                            o.connection_timeout = UInt32(options.connectionTimeoutSeconds)
                            o.per_ip_connection_limit = UInt32(options.perIPConnectionLimit)
                            o.connection_memory_limit = options.connectionMemoryLimit
                            o.max_body = options.maxBodyBytes
                            o.tls_cert_pem = cert
                            o.tls_key_pem = key
                            o.tls_client_ca_pem = clientCA
                            o.tls_priorities = priorities
                            o.listen_reuse = options.reusePort ? 1 : 0
                            o.resumed = resumed
                            o.discard = discard
                            return cmhd_start(&o, handle, cls, log, cls)
                        }
                    }
                }
            }
        }
    }

    static let log: cmhd_log_handler = { cls, message in
        guard let cls, let message else { return }
        Unmanaged<Context>.fromOpaque(cls).takeUnretainedValue().errorLog(String(cString: message))
    }

    static let handle: cmhd_handler = { cls, connection, state, url, method, body, bodyLength, tooLarge in
        guard let cls, let connection, let state else { return 0 }
        let context = Unmanaged<Context>.fromOpaque(cls).takeUnretainedValue()
        let request = HTTPRequest(
            method: method.map { String(cString: $0) } ?? "GET",
            path: url.map { String(cString: $0) } ?? "/",
            query: queryItems(connection),
            headerFields: headerFields(connection),
            body: body.map { Array(UnsafeRawBufferPointer(start: $0, count: bodyLength)) } ?? [],
            bodyTooLarge: tooLarge != 0,
            clientAddress: clientAddress(connection),
            clientCertificate: clientCertificate(connection),
            clientCertificateSANs: clientCertificateSANs(connection),
            clientCertificateSerial: clientCertificateSerial(connection))
        switch context.handler(request) {
        case .response(let response):
            return queue(response, on: connection)
        case .deferred(let start):
            park(connection, state: state, context: context, start: start)
            return 1
        }
    }

    /// Parks the connection, then lets `start` answer it from any thread.
    private static func park(
        _ connection: OpaquePointer, state: UnsafeMutableRawPointer, context: Context,
        start: @Sendable (HTTPResponder) -> Void
    ) {
        let pending = PendingReply()
        cmhd_defer(connection, state, Unmanaged.passRetained(pending).toOpaque())
        context.deferredStarted()
        let parked = ParkedConnection(pointer: connection)
        start(
            HTTPResponder { response in
                pending.set(response)
                cmhd_resume(parked.pointer)
                context.deferredResumed()
            })
    }

    static let resumed: cmhd_resumed_handler = { _, connection, pending in
        guard let connection, let pending else { return 0 }
        let reply = Unmanaged<PendingReply>.fromOpaque(pending).takeRetainedValue()
        guard let response = reply.take() else { return 0 }
        return queue(response, on: connection)
    }

    static let discard: cmhd_discard_handler = { _, pending in
        guard let pending else { return }
        Unmanaged<PendingReply>.fromOpaque(pending).release()
    }

    private static func queue(_ response: HTTPResponse, on connection: OpaquePointer) -> Int32 {
        let mhdResponse = response.body.withUnsafeBytes { cmhd_response($0.baseAddress, $0.count) }
        guard let mhdResponse else { return 0 }
        for header in response.headers {
            _ = cmhd_response_header(mhdResponse, header.name, header.value)
        }
        return cmhd_queue(connection, UInt32(response.status), mhdResponse)
    }

    /// Collects (name, value) pairs from a visitor into an array behind `cls`.
    private final class PairSink {
        var pairs: [(String, String)] = []
    }

    private static let collect: cmhd_pair_visitor = { cls, key, value in
        guard let cls, let key else { return }
        let sink = Unmanaged<PairSink>.fromOpaque(cls).takeUnretainedValue()
        sink.pairs.append((String(cString: key), value.map { String(cString: $0) } ?? ""))
    }

    private static func headerFields(_ connection: OpaquePointer) -> [(String, String)] {
        let sink = PairSink()
        withExtendedLifetime(sink) {
            cmhd_each_header(connection, collect, Unmanaged.passUnretained(sink).toOpaque())
        }
        return sink.pairs
    }

    private static func queryItems(_ connection: OpaquePointer) -> [HTTPRequest.QueryItem] {
        let sink = PairSink()
        withExtendedLifetime(sink) {
            cmhd_each_query_argument(connection, collect, Unmanaged.passUnretained(sink).toOpaque())
        }
        return sink.pairs.map { HTTPRequest.QueryItem(name: $0.0, value: $0.1) }
    }

    private static func clientCertificate(_ connection: OpaquePointer)
        -> HTTPRequest.ClientCertificate
    {
        switch cmhd_client_certificate(connection) {
        case 2: return .verified
        case 1: return .unverified
        default: return .none
        }
    }

    private static func clientCertificateSANs(_ connection: OpaquePointer) -> [String] {
        let sink = PairSink()
        withExtendedLifetime(sink) {
            cmhd_each_client_san(connection, collect, Unmanaged.passUnretained(sink).toOpaque())
        }
        return sink.pairs.map(\.1)
    }

    private static func clientCertificateSerial(_ connection: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 130)
        guard cmhd_client_serial(connection, &buffer, buffer.count) == 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func clientAddress(_ connection: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        cmhd_client_address(connection, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
