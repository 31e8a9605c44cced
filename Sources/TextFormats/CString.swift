/// Calls `body` with `string` as a NUL-terminated C string, or with nil for nil: the C shims
/// (libcurl, libmicrohttpd) take optional settings as nullable `const char *`.
public func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}
