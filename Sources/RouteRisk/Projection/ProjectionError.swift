/// A PROJ failure: what was attempted and the message PROJ logged or its errno text.
public struct ProjectionError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let message: String
    public var description: String { "PROJ: \(operation): \(message)" }
}
