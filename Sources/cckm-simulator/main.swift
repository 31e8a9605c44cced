// cckm-simulator: a fake CipherTrust Manager for demos and tests. Everything lives in
// SimulatorCommand.swift: code here would be inferred @MainActor (see docs/STYLE lessons).
SimulatorCommand.main()
