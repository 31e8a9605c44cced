import ExporterApp
import ExporterDemo
import Foundation

// Everything lives in ExporterApp: code here would be @MainActor-isolated, and libmicrohttpd
// calls handlers on its own threads.

// First: hold SIGTERM/SIGHUP so one sent during start-up waits for the exporter to be ready.
ExporterApplication.blockSignals()
ExporterApplication.main(
    arguments: Array(CommandLine.arguments.dropFirst()),
    environment: ProcessInfo.processInfo.environment,
    demo: ExporterDemo.starter)
