/// Lets one room operation run at a time, in arrival order (FIFO), across the actor's
/// suspension points: without it a second post could overtake the first while the first waits
/// on a receiver, and a receiver would see #2 before #1. Used by ``Room`` only.
struct RoomGate {
    var busy = false
    var waiting: [CheckedContinuation<Void, Never>] = []

    /// Hands the gate straight to the next in line (it stays taken), or frees it.
    mutating func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
