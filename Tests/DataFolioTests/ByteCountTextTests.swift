@testable import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// Sizes are printed as Python's `describe` prints them (`%.1f` of the size in the
/// largest unit under 1024), computed in integers: every result must be what formatting
/// the double gives, ties (rounded half to even) included.
@Suite("Byte counts for people")
struct ByteCountTextTests {
    @Test func matchesFormattingTheDouble() {
        var generator = SeededRandom(seed: 0x5EED_B17E)
        let units = ["KB", "MB", "GB", "TB"]
        for (index, unit) in units.enumerated() {
            let shift = 10 * (index + 1)
            // The last unit has no upper bound.
            let upper = index == units.count - 1 ? Int.max : (1 << (shift + 10)) - 1
            var values = [1 << shift, (1 << shift) + 1, upper, upper - 1]
            // Exact halves of a tenth: 1.25 KB rounds down to 1.2, 1.35 KB up to 1.4.
            for tenths in stride(from: 105, to: 10_240, by: 10) where (tenths << shift) % 100 == 0 {
                values.append((tenths << shift) / 100)
            }
            for _ in 0..<5_000 { values.append(Int.random(in: (1 << shift)...min(upper, 1 << 45), using: &generator)) }
            for value in values {
                let expected = String(format: "%.1f", Double(value) / Double(1 << shift)) + " " + unit
                #expect(ByteCountText.text(value) == expected, "\(value)")
            }
        }
        for value in [0, 1, 999, 1023] { #expect(ByteCountText.text(value) == "\(value) B") }
        #expect(ByteCountText.text(1280) == "1.2 KB")
        #expect(ByteCountText.text(1382) == "1.3 KB")
        #expect(ByteCountText.text(1_048_575) == "1024.0 KB")
    }
}
