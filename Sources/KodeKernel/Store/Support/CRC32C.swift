import Foundation

/// CRC-32C (Castagnoli), the checksum of every log record and snapshot.
///
/// Computed with the slicing-by-16 method: sixteen 256-entry tables let the loop fold sixteen
/// input bytes per step with independent table lookups, several times faster than the classic
/// byte-at-a-time table, which keeps a full verification of a 100 MB log inside the 150 ms
/// budget without a C dependency.
///
/// One such loop is bound by the latency of each step's lookups feeding the next step. Large
/// buffers (snapshots, whole segments) are therefore split into three lanes folded in the same
/// loop, whose steps overlap, and the three checksums are joined afterwards
/// (`CRC32C+Combine.swift`): about 1.7× the speed of one lane.
package enum CRC32C {
    /// The reflected Castagnoli polynomial.
    static let polynomial: UInt32 = 0x82F6_3B78

    static let slices = 16

    /// `tables[k * 256 + b]`: the CRC contribution of byte `b` followed by `k` zero bytes.
    static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: slices * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1 }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            var crc = tables[byte]
            for slice in 1..<slices {
                crc = tables[Int(crc & 0xFF)] ^ (crc >> 8)
                tables[slice * 256 + byte] = crc
            }
        }
        return tables
    }()

    /// Below this, one lane is faster than three plus the cost of joining them.
    static let laneThreshold = 64 << 10

    /// The checksum of `bytes`, continuing from `crc` (the checksum of what came before, or 0).
    package static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        bytes.count >= laneThreshold ? checksumThreeLanes(bytes, continuing: crc) : checksumOneLane(bytes, continuing: crc)
    }

    /// The checksum with a single slicing-by-16 loop. Inlined: most records are a few hundred
    /// bytes, and a verification of a million of them noticed the extra call.
    @inline(__always)
    static func checksumOneLane(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        tables.withUnsafeBufferPointer { table in
            var state = ~crc
            guard var pointer = bytes.baseAddress else { return crc }
            var remaining = bytes.count
            while remaining >= 16 {
                state = fold16(table, state, pointer)
                pointer += 16
                remaining -= 16
            }
            // The last 15 bytes at most: eight and four at a time with the tables' first slices
            // (records are small, so a byte-at-a-time tail was a sizeable share of each).
            if remaining >= 8 {
                let low = UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self)) ^ state
                let high = UInt32(littleEndian: pointer.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                state = table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
                    ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ table[1 * 256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
                pointer += 8
                remaining -= 8
            }
            if remaining >= 4 {
                let word = UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self)) ^ state
                state = table[3 * 256 + Int(word & 0xFF)] ^ table[2 * 256 + Int((word >> 8) & 0xFF)]
                    ^ table[1 * 256 + Int((word >> 16) & 0xFF)] ^ table[Int(word >> 24)]
                pointer += 4
                remaining -= 4
            }
            while remaining > 0 {
                state = table[Int((state ^ UInt32(pointer.load(as: UInt8.self))) & 0xFF)] ^ (state >> 8)
                pointer += 1
                remaining -= 1
            }
            return ~state
        }
    }

    /// Splits `bytes` into three lanes of equal length (the last one also takes the remainder),
    /// folds the lanes in one loop and joins their checksums.
    static func checksumThreeLanes(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32) -> UInt32 {
        let lane = bytes.count / 3 / 16 * 16
        guard lane > 0, let base = bytes.baseAddress else { return checksumOneLane(bytes, continuing: crc) }
        return tables.withUnsafeBufferPointer { table in
            var first = ~crc
            var second = ~UInt32(0)
            var third = ~UInt32(0)
            var pointer = base
            let end = base + lane
            while pointer < end {
                first = fold16(table, first, pointer)
                second = fold16(table, second, pointer + lane)
                third = fold16(table, third, pointer + 2 * lane)
                pointer += 16
            }
            let rest = UnsafeRawBufferPointer(start: base + 3 * lane, count: bytes.count - 3 * lane)
            let last = checksumOneLane(rest, continuing: ~third)
            let firstTwo = combine(~first, ~second, secondLength: lane)
            return combine(firstTwo, last, secondLength: bytes.count - 2 * lane)
        }
    }

    /// Folds sixteen bytes at `pointer` into `state`: four independent groups of lookups, so the
    /// CPU can overlap them.
    @inline(__always)
    static func fold16(_ table: UnsafeBufferPointer<UInt32>, _ state: UInt32, _ pointer: UnsafeRawPointer) -> UInt32 {
        let low = UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self))
        let high = UInt64(littleEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let a = UInt32(truncatingIfNeeded: low) ^ state
        let b = UInt32(truncatingIfNeeded: low >> 32)
        let c = UInt32(truncatingIfNeeded: high)
        let d = UInt32(truncatingIfNeeded: high >> 32)
        let first = table[15 * 256 + Int(a & 0xFF)] ^ table[14 * 256 + Int((a >> 8) & 0xFF)]
            ^ table[13 * 256 + Int((a >> 16) & 0xFF)] ^ table[12 * 256 + Int(a >> 24)]
        let second = table[11 * 256 + Int(b & 0xFF)] ^ table[10 * 256 + Int((b >> 8) & 0xFF)]
            ^ table[9 * 256 + Int((b >> 16) & 0xFF)] ^ table[8 * 256 + Int(b >> 24)]
        let third = table[7 * 256 + Int(c & 0xFF)] ^ table[6 * 256 + Int((c >> 8) & 0xFF)]
            ^ table[5 * 256 + Int((c >> 16) & 0xFF)] ^ table[4 * 256 + Int(c >> 24)]
        let fourth = table[3 * 256 + Int(d & 0xFF)] ^ table[2 * 256 + Int((d >> 8) & 0xFF)]
            ^ table[1 * 256 + Int((d >> 16) & 0xFF)] ^ table[Int(d >> 24)]
        return first ^ second ^ third ^ fourth
    }

    /// The checksum of `data`.
    package static func checksum(_ data: some ContiguousBytes, continuing crc: UInt32 = 0) -> UInt32 {
        data.withUnsafeBytes { checksum($0, continuing: crc) }
    }
}
