/// What one job synchronizes: the scope arrays it carries (`kms`, `regions`, `key_vaults`, …)
/// and the `detailed_status` keys it works through, in order.
///
/// Jobs share patterns by index (a listing holds a handful), so a 100,000-job history stores
/// no per-job strings.
struct ScopePattern: Sendable, Equatable {
    var arrays: [ScopeArray]
    var entries: [String]

    /// The values of scope array `key`, or nil when the jobs do not carry it.
    func values(of key: String) -> [String]? { arrays.first { $0.key == key }?.values }
}

/// One scope array of a job, e.g. `"regions": ["us-east-1"]`.
struct ScopeArray: Sendable, Equatable {
    var key: String
    var values: [String]
}

/// How a listing's jobs are scoped, with the universe of values the simulator draws from.
enum ScopeShape: Sendable {
    /// AWS KMS: jobs name KMS connections (`kms`) and `regions`; entries are `ACCOUNT/REGION`.
    case accountRegions(connections: [AWSConnection], regions: [String])
    /// Custom key stores: jobs name KMS connections (`kms`); entries are key store names.
    case keyStores(connections: [String], stores: [String])
    /// One scope array named `key` (none when nil) whose values are the entries.
    case list(key: String?, values: [String])

    /// Keys of the scope arrays jobs carry, in the order they are written.
    var arrayKeys: [String] {
        switch self {
        case .accountRegions: ["regions", "kms"]
        case .keyStores: ["kms"]
        case .list(let key, _): key.map { [$0] } ?? []
        }
    }

    /// The widest pattern: every connection, the first three regions, every value.
    func fullPattern() -> ScopePattern {
        switch self {
        case .accountRegions(let connections, let regions):
            awsPattern(connections, Array(regions.prefix(3)))
        case .keyStores(let connections, let stores):
            ScopePattern(arrays: [ScopeArray(key: "kms", values: connections)], entries: stores)
        case .list(let key, let values):
            listPattern(key, values)
        }
    }

    /// A random non-empty pattern drawn from the universe.
    func randomPattern(using random: inout SeededRandom) -> ScopePattern {
        switch self {
        case .accountRegions(let connections, let regions):
            let chosen =
                random.unit() < 0.6 ? connections : [connections.randomElement(using: &random)!]
            return awsPattern(chosen, subset(of: regions, atMost: 4, using: &random))
        case .keyStores(let connections, let stores):
            let connection = connections.randomElement(using: &random)!
            return ScopePattern(
                arrays: [ScopeArray(key: "kms", values: [connection])],
                entries: subset(of: stores, atMost: stores.count, using: &random))
        case .list(let key, let values):
            return listPattern(key, subset(of: values, atMost: values.count, using: &random))
        }
    }

    /// A pattern for explicitly named entries (``CCKMSimulator/insertJob``): AWS takes region
    /// names (synchronized in the first connection's account) or `ACCOUNT/REGION` keys; other
    /// listings take their scope values verbatim.
    func pattern(forEntries entries: [String]) -> ScopePattern {
        switch self {
        case .accountRegions(let connections, _):
            var names: [String] = []
            var regions: [String] = []
            let keys = entries.map { entry -> String in
                let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
                let (account, region) =
                    parts.count == 2
                    ? (parts[0], parts[1]) : (connections[0].account, entry)
                let name = connections.first { $0.account == account }?.name ?? "kms-\(account)"
                if !names.contains(name) { names.append(name) }
                if !regions.contains(region) { regions.append(region) }
                return "\(account)/\(region)"
            }
            return ScopePattern(
                arrays: [
                    ScopeArray(key: "regions", values: regions),
                    ScopeArray(key: "kms", values: names),
                ],
                entries: keys)
        case .keyStores(let connections, _):
            return ScopePattern(
                arrays: [ScopeArray(key: "kms", values: [connections[0]])], entries: entries)
        case .list(let key, _):
            return listPattern(key, entries)
        }
    }

    /// A pattern for a `POST …/synchronization-jobs` body: named scope values, or all of them
    /// when the body names none (`synchronize_all`).
    func pattern(forRequest scope: [String: [String]]) -> ScopePattern {
        switch self {
        case .accountRegions(let connections, let regions):
            let chosen = (scope["kms"] ?? [connections[0].name]).map { name in
                connections.first { $0.name == name }
                    ?? AWSConnection(name: name, account: Self.accountNumber(for: name))
            }
            return awsPattern(chosen, scope["regions"] ?? regions)
        case .keyStores(let connections, let stores):
            return ScopePattern(
                arrays: [ScopeArray(key: "kms", values: scope["kms"] ?? [connections[0]])],
                entries: stores)
        case .list(let key, let values):
            return listPattern(key, key.flatMap { scope[$0] } ?? values)
        }
    }

    private func awsPattern(_ connections: [AWSConnection], _ regions: [String]) -> ScopePattern {
        ScopePattern(
            arrays: [
                ScopeArray(key: "regions", values: regions),
                ScopeArray(key: "kms", values: connections.map(\.name)),
            ],
            entries: connections.flatMap { connection in
                regions.map { "\(connection.account)/\($0)" }
            })
    }

    private func listPattern(_ key: String?, _ values: [String]) -> ScopePattern {
        ScopePattern(
            arrays: key.map { [ScopeArray(key: $0, values: values)] } ?? [], entries: values)
    }

    /// 1…`atMost` distinct values, kept in universe order.
    private func subset(of values: [String], atMost: Int, using random: inout SeededRandom)
        -> [String]
    {
        let count = 1 + Int(random.next() % UInt64(max(1, min(atMost, values.count))))
        let picked = Set(values.indices.shuffled(using: &random).prefix(count))
        return values.indices.filter(picked.contains).map { values[$0] }
    }

    /// A stable made-up 12-digit account for a KMS connection the simulator does not know.
    private static func accountNumber(for name: String) -> String {
        var random = SeededRandom(seed: 0, stream: name)
        return String(100_000_000_000 + random.next() % 900_000_000_000)
    }
}
