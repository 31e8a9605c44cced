// MetricsServer: see docs/ARCHITECTURE.md
