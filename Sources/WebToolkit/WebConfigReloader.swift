import Synchronization

/// Re-reads `--web.config.file` for a running ``WebConfigListener`` (reload, SIGHUP, file
/// change). Created before the listener, because the routes' reload action needs it and the
/// listener needs the routes; ``attach(_:)`` closes the loop.
public final class WebConfigReloader: Sendable {
    /// The file, or nil when the server runs without one (reload is then a no-op).
    public let path: String?
    private let listener = Mutex<WebConfigListener?>(nil)
    /// Serializes whole reloads (file watcher, SIGHUP and `/-/reload` can overlap): two TLS
    /// reloads finishing in the opposite order would otherwise leave the older certificates
    /// serving while the newer configuration is recorded.
    private let reloading = Mutex(())

    public init(path: String?) { self.path = path }

    /// The listener whose configuration ``reload()`` replaces.
    public func attach(_ listener: WebConfigListener) { self.listener.withLock { $0 = listener } }

    /// Loads the file and puts it in force. Returns the new configuration, or nil when there
    /// is no file or nothing changed. A refused file leaves the previous configuration.
    public func reload() throws(WebConfigError) -> WebConfig? {
        guard let path, let listener = listener.withLock({ $0 }) else { return nil }
        return try reloading.withLock { _ throws(WebConfigError) -> WebConfig? in
            let config = try WebConfigLoader.load(path: path)
            if config == listener.gate.config { return nil }
            try listener.apply(config)
            return config
        }
    }
}
