/// Why the simulator refused a configuration or a control call. The message names the field.
public struct SimulatorError: Error, Equatable, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
