/// A count of work done, kept in a value for tests and benches to read, that takes no part in
/// the value's equality or hash: two states that show the same thing are equal however much
/// work each took to get there.
package struct WorkCount: Sendable, Hashable {
    package private(set) var value = 0

    package init() {}

    mutating func add(_ n: Int) { value += n }

    package static func == (_: WorkCount, _: WorkCount) -> Bool { true }
    package func hash(into hasher: inout Hasher) {}
}
