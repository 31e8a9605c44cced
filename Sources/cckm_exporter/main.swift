import ExporterApp
import Foundation

// Everything lives in ExporterApp: code here would be @MainActor-isolated, and libmicrohttpd
// calls handlers on its own threads.
ExporterApplication.main(
    arguments: Array(CommandLine.arguments.dropFirst()),
    environment: ProcessInfo.processInfo.environment)
