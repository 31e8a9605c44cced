// ExporterApp: see docs/ARCHITECTURE.md
