import DataFolioCompression
import DataFolioTestSupport
import Foundation
import Testing

@Suite struct ZstandardChecksumTests {
    @Test func xxh64KnownValues() {
        #expect(XXH64.hash([]) == 0xEF46_DB37_51D8_E999)
        #expect(XXH64.hash(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(XXH64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(XXH64.hash(Array("abc".utf8), seed: 1) != XXH64.hash(Array("abc".utf8)))
    }

    @Test func xxh64DependsOnEveryByte() {
        // Lengths that exercise the 32-byte stripes and each tail size.
        let data = ZstandardTestData.random(100)
        for length in [0, 1, 3, 4, 7, 8, 31, 32, 33, 63, 64, 100] {
            let prefix = Array(data.prefix(length))
            let reference = XXH64.hash(prefix)
            for position in 0..<length {
                var changed = prefix
                changed[position] ^= 0x80
                #expect(XXH64.hash(changed) != reference, "length \(length), byte \(position)")
            }
        }
    }

    @Test(.interop) func xxh64MatchesTheReferenceChecksums() throws {
        // zstd stores the low 32 bits of XXH64 at the end of a frame with a checksum.
        let script = """
            import sys, zstandard
            data = bytes((i * 131 + 7) % 256 for i in range(2000))
            for length in list(range(0, 70)) + [127, 128, 129, 1000, 2000]:
                frame = zstandard.ZstdCompressor(level=1, write_checksum=True).compress(data[:length])
                print(length, int.from_bytes(frame[-4:], "little"))
            """
        let output = try InteropPython.run(script)
        let data = (0..<2000).map { UInt8(($0 * 131 + 7) % 256) }
        var checked = 0
        for line in output.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ").compactMap { UInt64($0) }
            guard fields.count == 2 else { continue }
            let hash = XXH64.hash(Array(data.prefix(Int(fields[0]))))
            #expect(hash & 0xFFFF_FFFF == fields[1], "length \(fields[0])")
            checked += 1
        }
        #expect(checked == 75)
    }
}
