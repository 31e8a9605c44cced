import JobMetrics

/// The exporter's version, shown by `--version`, the landing page and
/// `cckm_exporter_build_info`.
public enum BuildVersion {
    public static let version = "0.1.0"
    /// The source revision; builds outside a release pipeline say `unknown`.
    public static let revision = "unknown"

    /// The compiler this binary was built with.
    public static var swiftVersion: String {
        #if compiler(>=6.4)
            return "6.4+"
        #elseif compiler(>=6.3)
            return "6.3"
        #elseif compiler(>=6.2)
            return "6.2"
        #elseif compiler(>=6.1)
            return "6.1"
        #else
            return "6.0"
        #endif
    }

    static var buildInfo: BuildInfo {
        BuildInfo(version: version, revision: revision, swiftVersion: swiftVersion)
    }

    /// `--version` text, Prometheus-style.
    static var banner: String {
        "cckm_exporter, version \(version) (revision: \(revision))\n  swift version: \(swiftVersion)"
    }
}
