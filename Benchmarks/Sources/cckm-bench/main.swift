// cckm-bench: measures ingest, rendering, scraping, memory and upstream requests per poll
// at several history sizes. See docs/PERFORMANCE.md for the command and the results.
BenchCommand.run(Array(CommandLine.arguments.dropFirst()))
