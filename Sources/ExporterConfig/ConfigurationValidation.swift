/// Rules that span fields, shared by the file and the flags.
package enum ConfigurationValidation {
    package static func check(
        _ configuration: ExporterConfiguration, targetsField: String,
        intervalField: String, timeoutField: String
    ) throws(ConfigurationError) {
        guard !configuration.targets.isEmpty else {
            throw ConfigurationError(field: targetsField, problem: "must list at least one target")
        }
        var names = Set<String>()
        for (index, target) in configuration.targets.enumerated() where !names.insert(target.name).inserted {
            throw ConfigurationError(
                field: "\(targetsField)[\(index)].name",
                problem: "\"\(target.name)\" is used by another target")
        }
        guard configuration.pollInterval >= .seconds(1) else {
            throw ConfigurationError(field: intervalField, problem: "must be at least 1s")
        }
        guard configuration.pollTimeout > .zero else {
            throw ConfigurationError(field: timeoutField, problem: "must be positive")
        }
        guard configuration.pollTimeout <= configuration.pollInterval else {
            throw ConfigurationError(
                field: timeoutField,
                problem:
                    "(\(PrometheusDuration.format(configuration.pollTimeout))) must not exceed the poll interval (\(PrometheusDuration.format(configuration.pollInterval)))"
            )
        }
    }
}
