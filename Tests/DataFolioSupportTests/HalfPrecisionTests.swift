import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Half precision")
struct HalfPrecisionTests {
    /// The value of binary16 bits computed in Double, independently of the code under test.
    static func referenceValue(ofFloat16 bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int(bits >> 10) & 0x1F
        let mantissa = Double(bits & 0x03FF)
        if exponent == 0 { return sign * mantissa * 0x1p-24 }
        if exponent == 0x1F { return mantissa == 0 ? sign * .infinity : .nan }
        return sign * (1024 + mantissa) * pow(2, Double(exponent - 25))
    }

    @Test func everyFloat16RoundTripsThroughFloatExactly() {
        for raw in 0...0xFFFF {
            let bits = UInt16(raw)
            let value = HalfPrecision.float(fromFloat16: bits)
            let isNaN = bits & 0x7C00 == 0x7C00 && bits & 0x03FF != 0
            if isNaN {
                #expect(value.isNaN && value.sign == (bits & 0x8000 != 0 ? .minus : .plus))
                // NaNs come back quiet, with their payload and sign.
                #expect(HalfPrecision.float16Bits(from: value) == bits | 0x0200, "\(String(raw, radix: 16))")
            } else {
                #expect(Double(value) == Self.referenceValue(ofFloat16: bits), "\(String(raw, radix: 16))")
                #expect(value.sign == (bits & 0x8000 != 0 ? .minus : .plus))
                #expect(HalfPrecision.float16Bits(from: value) == bits, "\(String(raw, radix: 16))")
            }
        }
    }

    @Test func knownConversions() {
        let cases: [(Float, UInt16)] = [
            (0, 0x0000), (-0.0, 0x8000), (1, 0x3C00), (-2, 0xC000), (1.5, 0x3E00), (0.1, 0x2E66),
            (65504, 0x7BFF), (-65504, 0xFBFF), (.infinity, 0x7C00), (-.infinity, 0xFC00),
            (0x1p-14, 0x0400), (0x1p-24, 0x0001), (0x3FFp-24, 0x03FF),
            // Beyond the largest half: up to the midpoint to 65536 rounds down, from it on overflows.
            (65519, 0x7BFF), (65520, 0x7C00), (1e10, 0x7C00), (.greatestFiniteMagnitude, 0x7C00),
            // Below the smallest subnormal: half of it ties to zero, more rounds up.
            (0x1p-25, 0x0000), (0x1.000002p-25, 0x0001), (0x1.8p-25, 0x0001), (0x1p-26, 0x0000),
            (-0x1p-26, 0x8000), (.leastNonzeroMagnitude, 0x0000), (0x3p-25, 0x0002),
            // Ties to even in the normal range.
            (1 + 0x1p-11, 0x3C00), (1 + 0x3p-11, 0x3C02), ((1 + 0x1p-11).nextUp, 0x3C01),
            // The largest subnormal's midpoint to the smallest normal rounds up into the exponent.
            (0x7FFp-25, 0x0400),
        ]
        for (value, bits) in cases {
            #expect(HalfPrecision.float16Bits(from: value) == bits, "\(value)")
        }
        #expect(HalfPrecision.float(fromFloat16: 0x3555) == 0x1.554p-2)
    }

    @Test func everyMidpointRoundsToEven() {
        for raw in 0..<0x7BFF {
            let low = HalfPrecision.float(fromFloat16: UInt16(raw))
            let high = HalfPrecision.float(fromFloat16: UInt16(raw + 1))
            let midpoint = (low + high) / 2  // exact: Float has 13 more significand bits
            let even = UInt16(raw % 2 == 0 ? raw : raw + 1)
            #expect(HalfPrecision.float16Bits(from: midpoint) == even)
            #expect(HalfPrecision.float16Bits(from: -midpoint) == even | 0x8000)
            #expect(HalfPrecision.float16Bits(from: midpoint.nextDown) == UInt16(raw))
            #expect(HalfPrecision.float16Bits(from: midpoint.nextUp) == UInt16(raw + 1))
        }
    }

    @Test func nanStaysNaN() {
        for payload: UInt32 in [1, 0x1FFF, 0x2000, 0x40_0000, 0x7F_FFFF] {
            for sign: UInt32 in [0, 0x8000_0000] {
                let nan = Float(bitPattern: sign | 0x7F80_0000 | payload)
                let bits = HalfPrecision.float16Bits(from: nan)
                #expect(bits & 0x7E00 == 0x7E00, "quiet NaN for payload \(payload)")
                #expect(bits & 0x8000 == UInt16(sign >> 16))
                #expect(HalfPrecision.float(fromFloat16: bits).isNaN)
                let bfloat = HalfPrecision.bfloat16Bits(from: nan)
                #expect(bfloat & 0x7FC0 == 0x7FC0 && bfloat & 0x8000 == UInt16(sign >> 16))
            }
        }
    }

    #if !(os(macOS) && arch(x86_64))
    /// Compares with the standard library's `Float16` (where the platform has it) on a
    /// sweep of every 997th float bit pattern.
    @Test func matchesNativeFloat16() {
        var pattern: UInt64 = 0
        while pattern <= UInt64(UInt32.max) {
            let value = Float(bitPattern: UInt32(pattern))
            if !value.isNaN {
                #expect(HalfPrecision.float16Bits(from: value) == Float16(value).bitPattern, "\(value)")
            }
            pattern += 997
        }
        for raw in 0...0xFFFF {
            let native = Float(Float16(bitPattern: UInt16(raw)))
            let ours = HalfPrecision.float(fromFloat16: UInt16(raw))
            #expect(native.isNaN ? ours.isNaN : native.bitPattern == ours.bitPattern)
        }
    }
    #endif

    @Test func everyBFloat16RoundTripsThroughFloatExactly() {
        for raw in 0...0xFFFF {
            let bits = UInt16(raw)
            let value = HalfPrecision.float(fromBFloat16: bits)
            #expect(value.bitPattern == UInt32(bits) << 16)
            let expected = value.isNaN ? bits | 0x0040 : bits
            #expect(HalfPrecision.bfloat16Bits(from: value) == expected, "\(String(raw, radix: 16))")
        }
    }

    @Test func bfloat16RoundsToNearestEven() {
        let cases: [(Float, UInt16)] = [
            (1, 0x3F80), (1 + 0x1p-8, 0x3F80), (1 + 0x3p-8, 0x3F82), ((1 + 0x1p-8).nextUp, 0x3F81),
            (-1 - 0x3p-8, 0xBF82), (.greatestFiniteMagnitude, 0x7F80), (-.infinity, 0xFF80),
            (-0.0, 0x8000), (.leastNonzeroMagnitude, 0x0000), (3.0e38, 0x7F62),
        ]
        for (value, bits) in cases {
            #expect(HalfPrecision.bfloat16Bits(from: value) == bits, "\(value)")
        }
    }

    /// Floats that exercise rounding: every float16 midpoint and its neighbours, the
    /// edges of the range, and pseudo-random bit patterns.
    static func roundingProbe() -> [Float] {
        var values: [Float] = [0, -0.0, 65504, 65519, 65520, 65535, 65536, 1e-8, 6e-8, 0x1p-25, 0x1p-24, .infinity, -.infinity]
        for raw in 0..<0x7BFF {
            let low = HalfPrecision.float(fromFloat16: UInt16(raw))
            let midpoint = (low + HalfPrecision.float(fromFloat16: UInt16(raw + 1))) / 2
            values += [midpoint, midpoint.nextUp, midpoint.nextDown, -midpoint]
        }
        var state: UInt64 = 99
        for _ in 0..<100_000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: SupportTestData.nextRandom(&state)))
            if !value.isNaN { values.append(value) }
        }
        return values
    }

    @Test(.interop) func roundingMatchesNumpyAndTorch() throws {
        let folder = TemporaryFolder("half")
        let values = Self.roundingProbe()
        let raw = values.withUnsafeBytes { [UInt8]($0) }
        try LocalFile.writeAtomically(raw, to: folder.path("floats.bin"), sync: false)
        try InteropPython.run(
            """
            import sys, numpy as np, torch
            folder = sys.argv[1]
            values = np.fromfile(folder + '/floats.bin', dtype='<f4')
            values.astype('<f2').view('<u2').tofile(folder + '/half.bin')
            torch.from_numpy(values.copy()).to(torch.bfloat16).view(torch.int16).numpy().view('<u2').tofile(folder + '/bfloat.bin')
            """, arguments: [folder.path])
        let half = try LocalFile.read(folder.path("half.bin"))
        let bfloat = try LocalFile.read(folder.path("bfloat.bin"))
        try #require(half.count == values.count * 2 && bfloat.count == values.count * 2)
        var mismatches = 0
        for (index, value) in values.enumerated() {
            let numpy = UInt16(half[2 * index]) | UInt16(half[2 * index + 1]) << 8
            let torch = UInt16(bfloat[2 * index]) | UInt16(bfloat[2 * index + 1]) << 8
            if HalfPrecision.float16Bits(from: value) != numpy || HalfPrecision.bfloat16Bits(from: value) != torch {
                mismatches += 1
                if mismatches < 10 { Issue.record("\(value): numpy \(numpy), torch bf16 \(torch)") }
            }
        }
        #expect(mismatches == 0)
    }
}
