// CCKMSimulator: see docs/ARCHITECTURE.md
