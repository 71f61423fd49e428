import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Testing

/// Random and damaged CSV input must give a table or a clear error, never a crash.
@Suite("CSV hostile input")
struct CSVHostileInputTests {
    @Test func randomBytes() {
        var generator = SeededRandom(seed: 0xC5F0_0001)
        let alphabet: [UInt8] = Array("a1,\"\n\r;. -:T0Z+e".utf8) + [0xEF, 0xBB, 0xBF, 0x00, 0xFF]
        var tables = 0, errors = 0
        for _ in 0..<3000 {
            let length = Int.random(in: 0...64, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            do {
                let table = try Table(csv: bytes)
                // Whatever was read must survive a write and a second read with the same shape.
                let again = try Table(csv: try table.csvBytes())
                #expect(again.rowCount == table.rowCount || table.columns.isEmpty)
                tables += 1
            } catch {
                #expect(error.code == .corruptData || error.code == .typeMismatch, "\(error)")
                errors += 1
            }
        }
        #expect(tables > 0 && errors > 0)
    }

    @Test func everyTruncationOfAValidFile() throws {
        let valid = Array("id,name,when\n1,\"a, \"\"b\"\"\",2024-01-01T00:00:00Z\n2,\"multi\nline\",2024-01-02\n".utf8)
        for end in 0...valid.count {
            do {
                _ = try Table(csv: Array(valid[..<end]))
            } catch {
                #expect(error.code == .corruptData, "cut at \(end): \(error)")
            }
        }
    }
}
