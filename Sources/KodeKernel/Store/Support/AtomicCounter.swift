import Synchronization

/// A thread-safe counter (benchmarks and fault injection count syncs and steps with it).
package final class AtomicCounter: Sendable {
    private let value = Atomic<Int>(0)

    package init() {}

    /// Adds one and returns the new count.
    @discardableResult
    package func increment() -> Int {
        value.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
    }

    /// The current count.
    package var current: Int { value.load(ordering: .sequentiallyConsistent) }
}
