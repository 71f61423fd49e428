import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

@Suite("CRC-32")
struct CRC32Tests {
    /// A bit-at-a-time CRC-32, independent of the table-driven one under test.
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test func standardCheckValue() {
        #expect(CRC32.checksum([UInt8](text: "123456789")) == 0xCBF4_3926)
        var crc = CRC32()
        crc.update([UInt8](text: "123456789"))
        #expect(crc.value == 0xCBF4_3926)
    }

    @Test func knownValues() {
        #expect(CRC32.checksum([]) == 0)
        #expect(CRC32().value == 0)
        #expect(CRC32.checksum([UInt8](text: "a")) == 0xE8B7_BE43)
        #expect(CRC32.checksum([UInt8](text: "The quick brown fox jumps over the lazy dog")) == 0x414F_A339)
        #expect(CRC32.checksum([UInt8](repeating: 0, count: 32)) == 0x190A_55AD)
        #expect(CRC32.checksum([UInt8](repeating: 0xFF, count: 32)) == 0xFF6C_AB0B)
    }

    @Test func matchesBitwiseReferenceForEveryLengthUpTo300() {
        let input = SupportTestData.bytes(300, seed: 5)
        for length in 0...input.count {
            let slice = Array(input[..<length])
            #expect(CRC32.checksum(slice) == Self.reference(slice), "length \(length)")
        }
        input.withUnsafeBytes { raw in
            for start in 1..<9 {
                let slice = UnsafeRawBufferPointer(rebasing: raw[start...])
                #expect(CRC32.checksum(slice) == Self.reference(Array(input[start...])), "offset \(start)")
            }
        }
    }

    @Test func incrementalUpdatesMatchOneShot() {
        let input = SupportTestData.bytes(100, seed: 6)
        let expected = CRC32.checksum(input)
        for split in 0...input.count {
            var crc = CRC32()
            crc.update(Array(input[..<split]))
            crc.update(Array(input[split...]))
            #expect(crc.value == expected, "split at \(split)")
        }
        var bytewise = CRC32()
        for byte in input { bytewise.update([byte]) }
        #expect(bytewise.value == expected)
    }

    @Test(.interop) func matchesZlibOnAMultiMegabyteBuffer() throws {
        let folder = TemporaryFolder("crc32")
        let input = SupportTestData.bytes(5 << 20 | 7, seed: 12)
        try LocalFile.writeAtomically(input, to: folder.path("input.bin"), sync: false)
        let output = try InteropPython.run(
            "import sys, zlib; print(zlib.crc32(open(sys.argv[1], 'rb').read()))",
            arguments: [folder.path("input.bin")])
        #expect(output.stdout == "\(CRC32.checksum(input))\n")
    }
}
