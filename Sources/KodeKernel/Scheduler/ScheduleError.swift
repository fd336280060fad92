/// A scheduler request that cannot be carried out.
public enum ScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The trigger as given is not valid (the message says what and where).
    case invalid(String)
    /// No trigger with that id.
    case notFound(String)

    public var description: String {
        switch self {
        case .invalid(let message): message
        case .notFound(let id): "no trigger '\(id)' (see 'kode schedule list')"
        }
    }
}
