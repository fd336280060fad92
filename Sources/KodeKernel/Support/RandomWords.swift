import Synchronization

/// Random 64-bit words for ids.
///
/// `SystemRandomNumberGenerator` makes a `getrandom` system call per word, and an agent step
/// mints several ids. Ids must be unique, not secret (they name agents, messages and inputs; no
/// capability rests on guessing one), so a xoshiro256** generator seeded once per process from
/// the system's randomness serves them without entering the kernel.
enum RandomWords {
    private static let generator = Mutex(Xoshiro256StarStar())

    /// The next random word.
    static func next() -> UInt64 {
        generator.withLock { $0.next() }
    }
}

/// xoshiro256** (Blackman and Vigna): 256 bits of state, period 2^256 − 1.
struct Xoshiro256StarStar: RandomNumberGenerator {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Seeded from the operating system's randomness.
    init() {
        var system = SystemRandomNumberGenerator()
        repeat {
            (s0, s1, s2, s3) = (system.next(), system.next(), system.next(), system.next())
        } while s0 | s1 | s2 | s3 == 0  // the all-zero state is the one fixed point
    }

    mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(by: 45)
        return result
    }
}

private extension UInt64 {
    func rotatedLeft(by amount: UInt64) -> UInt64 {
        (self << amount) | (self >> (64 - amount))
    }
}
