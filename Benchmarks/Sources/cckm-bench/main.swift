// cckm-bench: measures ingest, rendering, scraping, memory and upstream requests per poll
// at several history sizes. See docs/PERFORMANCE.md for the command and the results.
// Everything lives in BenchCommand.swift: code here would be inferred @MainActor.
BenchCommand.main()
