import Foundation

/// Doubles that exercise number formatting: random bit patterns, random decimals,
/// integers, neighbours of the powers of ten (especially around the 1e-5 and 1e16
/// switches between fixed and exponent notation), subnormals and the extremes.
enum DoubleSamples {
    static func make(seed: UInt64 = 0xDF_2024, randomCount: Int = 4000) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        var values: [Double] = [
            0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.1 + 0.2, 1.0 / 3.0, 2.0 / 3.0, 100.0, 1e-5, 1e16, 1e15, 1e21, 1e22, 1e23,
            9999999999999998.0, 9007199254740992.0, 9007199254740993.0, 1705332600.0, 1705314600.123456,
            0.0000435, 1.5e-7, 1.2345678901234568e18, 123456789012345680000.0,
            Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude,
            Double.leastNormalMagnitude, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude,
            Double.leastNormalMagnitude.nextDown, Double.pi, Double.ulpOfOne, 2.2250738585072014e-308,
            Double(Int64.max), Double(Int64.min), Double(UInt64.max), 0.5, 0.25, 0.125, 1e100, 1e-100, 1e300, 1e-300,
        ]
        // Random bit patterns over the whole range (finite values only).
        for _ in 0..<randomCount {
            let value = Double(bitPattern: generator.next())
            if value.isFinite { values.append(value) }
        }
        // Random decimals: 1 to 17 significant digits times a power of ten.
        for _ in 0..<randomCount {
            let digits = Int.random(in: 1...17, using: &generator)
            var mantissa: UInt64 = 0
            for _ in 0..<digits { mantissa = mantissa * 10 + UInt64.random(in: 0...9, using: &generator) }
            let exponent = Int.random(in: -25...25, using: &generator)
            if let value = Double("\(mantissa)e\(exponent)") {
                values.append(Bool.random(using: &generator) ? value : -value)
            }
        }
        // Short decimals people type, in the fixed range.
        for _ in 0..<(randomCount / 4) {
            let value = Double(Int.random(in: -100_000...100_000, using: &generator)) / [10.0, 100.0, 1000.0, 1e4, 1e6].randomElement(using: &generator)!
            values.append(value)
        }
        // Integral values of every size.
        for _ in 0..<(randomCount / 2) {
            let bits = Int.random(in: 1...63, using: &generator)
            let magnitude = UInt64.random(in: 0...(UInt64(1) << UInt64(bits)), using: &generator)
            values.append(Double(magnitude) * (Bool.random(using: &generator) ? 1 : -1))
        }
        // Floats widened to doubles (long digit strings).
        for _ in 0..<(randomCount / 4) {
            let float = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator))
            if float.isFinite { values.append(Double(float)) }
        }
        // Powers of ten and their neighbours.
        for exponent in -325...308 {
            guard let power = Double("1e\(exponent)") else { continue }
            values.append(contentsOf: [power, power.nextUp, power.nextDown, 2 * power, 5 * power, 9.5 * power])
        }
        // Many neighbours of the notation switches.
        for boundary in [1e-5, 1e16, 1e-4, 1e15, 1e17, 1e-6] {
            var up = boundary
            var down = boundary
            for _ in 0..<64 {
                up = up.nextUp
                down = down.nextDown
                values.append(up)
                values.append(down)
            }
        }
        // Subnormals.
        for _ in 0..<(randomCount / 4) {
            let bits = UInt64.random(in: 1..<(UInt64(1) << 52), using: &generator)
            values.append(Double(bitPattern: bits))
        }
        for bits in [UInt64(1), 2, 3, 10, 1000, (UInt64(1) << 52) - 1, (UInt64(1) << 51)] {
            values.append(Double(bitPattern: bits))
            values.append(-Double(bitPattern: bits))
        }
        return values.filter(\.isFinite)
    }
}
