import DataFolioArrow
import DataFolioSupport
import DataFolioTable
import DataFolioTestSupport
import Foundation
import Testing

/// Damaged Arrow IPC data must give an error, never a crash or a huge allocation.
@Suite("Arrow IPC hostile input")
struct ArrowHostileInputTests {
    static let names = ["small-lz4.feather", "small-zstd.arrows", "small-plain.arrow"]

    func fixture(_ name: String) throws -> [UInt8] {
        try LocalFile.read(fixturesFolder().appendingPathComponent(name).path)
    }

    /// Reads all of `bytes`; returns the table or the error.
    func read(_ bytes: [UInt8]) -> Result<Table, DataFolioError> {
        Result(catching: { () throws(DataFolioError) -> Table in
            var reader = try ArrowIPCReader(input: MemoryInput(bytes, name: "damaged"))
            return try reader.readAll()
        })
    }

    @Test func fixturesRead() throws {
        var tables: [Table] = []
        for name in ArrowHostileInputTests.names {
            var reader = try ArrowIPCReader(path: fixturesFolder().appendingPathComponent(name).path)
            tables.append(try reader.readAll())
        }
        let first = try #require(tables.first)
        #expect(first.rowCount == 6)
        #expect(first["id"]?.values == [1, 2, nil, 4, 5, 6])
        #expect(first["name"]?.strings() == ["a", nil, "ccc", "dd", "", "f"])
        #expect(first["cat"]?.type == .dictionary(.string, ordered: false))
        #expect(first["cat"]?.strings() == ["x", "y", "x", nil, "z", "x"])
        #expect(first["tags"]?.values == [[1], [], nil, [2, 3], [4], [5]])
        #expect(try first["flag"]?.bools() == [true, false, nil, true, true, false])
        #expect(first["at"]?.type == .timestamp(.millisecond, timeZone: "UTC"))
        for table in tables.dropFirst() { #expect(table == first) }
    }

    @Test func everyTruncation() throws {
        for name in ArrowHostileInputTests.names {
            let bytes = try fixture(name)
            var errors = 0
            for end in 0..<bytes.count {
                if case .failure(let error) = read(Array(bytes[..<end])) {
                    #expect([.truncatedData, .corruptData, .unsupportedFeature].contains(error.code), "\(name) cut at \(end): \(error)")
                    errors += 1
                }
            }
            // A stream may end after any whole batch; everything else is an error.
            #expect(errors > bytes.count / 2, "\(name)")
        }
    }

    @Test func flippedBytes() throws {
        var generator = SeededRandom(seed: 0xA770_0001)
        for name in ArrowHostileInputTests.names {
            let original = try fixture(name)
            for _ in 0..<1500 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let at = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[at] = Bool.random(using: &generator) ? UInt8.random(in: 0...255, using: &generator) : bytes[at] ^ 0x80
                }
                if case .failure(let error) = read(bytes) {
                    #expect(
                        [.truncatedData, .corruptData, .unsupportedFeature, .limitExceeded, .invalidArgument].contains(error.code),
                        "\(name): \(error)")
                }
            }
        }
    }

    @Test func lyingLengthsAllocateNothing() {
        // A message that claims 2 GB of metadata, and one that claims a huge body.
        let claims: [[UInt8]] = [
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
            [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x80],
            Array("ARROW1\0\0".utf8) + [0xFF, 0xFF, 0xFF, 0xFF, 0x10, 0x00, 0x00, 0x00] + [UInt8](repeating: 0xFF, count: 16),
            Array("FEA1".utf8) + [UInt8](repeating: 0, count: 32),
            [], [0x01], Array("ARROW1".utf8),
        ]
        for bytes in claims {
            guard case .failure(let error) = read(bytes) else {
                Issue.record("\(bytes) read as a table")
                continue
            }
            #expect(error.path == "damaged")
        }
    }
}
