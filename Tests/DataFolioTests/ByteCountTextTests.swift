@testable import DataFolio
import DataFolioTestSupport
import Foundation
import Testing

/// Sizes are printed as Python's `describe` prints them (`%.1f` of the size in the
/// largest unit under 1024), computed in integers: every result must be what formatting
/// the double gives, ties (rounded half to even) included.
@Suite("Byte counts for people")
struct ByteCountTextTests {
    func formatted(_ bytes: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var size = Double(bytes)
        var unit = 0
        while size >= 1024 && unit < units.count - 1 {
            size /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", size) + " " + units[unit]
    }

    @Test func matchesFormattingTheDouble() {
        var generator = SeededRandom(seed: 0x5EED_B17E)
        var values = [0, 1, 1023, 1024, 1025, 1075, 1280, 1331, 1_048_575, 1_048_576, 1 << 40, (1 << 50) - 1, Int.max / 10, Int.max]
        // Exact halves of a tenth in each unit: 1.25 KB rounds down to 1.2, 1.35 KB up to 1.4.
        for shift in [10, 20, 30, 40] {
            for tenths in stride(from: 5, to: 20_000, by: 10) where (tenths << shift) % 100 == 0 {
                values.append((tenths << shift) / 100)
            }
        }
        for _ in 0..<20_000 { values.append(Int.random(in: 0...(1 << 45), using: &generator)) }
        for value in values {
            #expect(ByteCountText.text(value) == formatted(value), "\(value)")
        }
        #expect(ByteCountText.text(1280) == "1.2 KB")
        #expect(ByteCountText.text(1382) == "1.3 KB")
        #expect(ByteCountText.text(1_048_575) == "1024.0 KB")
    }
}
