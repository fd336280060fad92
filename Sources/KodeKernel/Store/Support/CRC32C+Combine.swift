import Foundation

/// Joining checksums: `combine(crc(A), crc(B), |B|) == crc(A followed by B)`.
///
/// A CRC is the message as a polynomial over GF(2), times x³², modulo the generator P. With
/// the standard all-ones start and final inversion, the inversions cancel when two checksums
/// are joined, and what remains is linear: crc(AB) = crc(A) · x^(8|B|) + crc(B) (mod P), where
/// + is xor. So joining costs one multiplication by x^(8|B|), built from the precomputed
/// powers x^(2^k) in about log₂|B| multiplications of 32-bit polynomials.
///
/// Polynomials are held reflected, as the table-driven loop holds its state: bit 31 is the
/// coefficient of x⁰ and bit 0 that of x³¹.
extension CRC32C {
    /// The checksum of A followed by B, from the checksums of A and B and the length of B.
    static func combine(_ first: UInt32, _ second: UInt32, secondLength: Int) -> UInt32 {
        multiply(xToThe8Times(secondLength), first) ^ second
    }

    /// a · b mod P.
    static func multiply(_ a: UInt32, _ b: UInt32) -> UInt32 {
        var product: UInt32 = 0
        var a = a
        var b = b
        // Walk a's coefficients from x⁰ up while b runs through b·x⁰, b·x¹, …
        while a != 0 {
            if a & 0x8000_0000 != 0 { product ^= b }
            a <<= 1
            // b · x: every coefficient moves up one; one that passes x³¹ becomes x³², which
            // reduces to P's lower terms (the polynomial constant).
            b = b & 1 != 0 ? (b >> 1) ^ polynomial : b >> 1
        }
        return product
    }

    /// `powers[k]` = x^(2^k) mod P, for every k that `xToThe8Times` can reach.
    static let powers: [UInt32] = {
        var powers = [UInt32](repeating: 0, count: 67)
        powers[0] = 0x4000_0000  // x¹
        for k in 1..<powers.count { powers[k] = multiply(powers[k - 1], powers[k - 1]) }
        return powers
    }()

    /// x^(8n) mod P: shifting a checksum past n bytes.
    static func xToThe8Times(_ n: Int) -> UInt32 {
        var result: UInt32 = 0x8000_0000  // x⁰
        var bits = UInt64(n)
        var k = 3  // 8n = n · 2³
        while bits != 0 {
            if bits & 1 != 0 { result = multiply(powers[k], result) }
            bits >>= 1
            k += 1
        }
        return result
    }
}
