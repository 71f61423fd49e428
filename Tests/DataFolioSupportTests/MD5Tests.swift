import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

@Suite("MD5")
struct MD5Tests {
    /// The test suite of RFC 1321, appendix A.5.
    static let rfcVectors: [(String, String)] = [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ]

    @Test func matchesRFC1321TestSuite() {
        for (input, digest) in Self.rfcVectors {
            #expect(MD5.hex(of: [UInt8](text: input)) == digest, "MD5(\"\(input)\")")
            var md5 = MD5()
            md5.update([UInt8](text: input))
            #expect(md5.finalize() == Self.bytes(ofHex: digest))
        }
    }

    @Test func emptyInputAndEmptyUpdates() {
        var md5 = MD5()
        md5.update([])
        md5.update(UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(md5.finalize().hexString == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MD5.hex(of: UnsafeRawBufferPointer(start: nil, count: 0)) == "d41d8cd98f00b204e9800998ecf8427e")
    }

    /// Lengths around the 64-byte block and the 56-byte point where the length no
    /// longer fits in the last block; digests from Python's hashlib.
    @Test(arguments: [
        (55, "ef1772b6dff9a122358552954ad0df65"), (56, "3b0c8ac703f828b04c6c197006d17218"),
        (57, "652b906d60af96844ebd21b674f35e93"), (63, "b06521f39153d618550606be297466d5"),
        (64, "014842d480b571495a4a0363793f7367"), (65, "c743a45e0d2e6a95cb859adae0248435"),
        (119, "8a7bd0732ed6a28ce75f6dabc90e1613"), (120, "5f61c0ccad4cac44c75ff505e1f1e537"),
        (121, "f6acfca2d47c87f2b14ca038234d3614"), (127, "020406e1d05cdc2aa287641f7ae2cc39"),
        (128, "e510683b3f5ffe4093d021808bc6ff70"), (129, "b325dc1c6f5e7a2b7cf465b9feab7948"),
    ])
    func blockBoundaries(length: Int, digest: String) {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: length)
        #expect(MD5.hex(of: input) == digest)
        var bytewise = MD5()
        for byte in input { bytewise.update([byte]) }
        #expect(bytewise.finalize().hexString == digest)
    }

    @Test func oneMillionAs() {
        #expect(MD5.hex(of: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)) == "7707d6ae4e027c70eea2a935c2296f21")
    }

    @Test func splitAtEveryOffsetMatchesOneShot() {
        var inputs = Self.rfcVectors.map { [UInt8](text: $0.0) }
        inputs.append(SupportTestData.bytes(200, seed: 7))
        inputs.append(SupportTestData.bytes(129, seed: 8))
        for input in inputs {
            let expected = MD5.hex(of: input)
            for split in 0...input.count {
                var md5 = MD5()
                md5.update(Array(input[..<split]))
                md5.update(Array(input[split...]))
                #expect(md5.finalize().hexString == expected, "\(input.count) bytes split at \(split)")
            }
        }
    }

    @Test func threeWaySplitsMatchOneShot() {
        let input = SupportTestData.bytes(150, seed: 3)
        let expected = MD5.hex(of: input)
        for first in stride(from: 0, through: input.count, by: 7) {
            for second in stride(from: first, through: input.count, by: 5) {
                var md5 = MD5()
                input.withUnsafeBytes { raw in
                    md5.update(UnsafeRawBufferPointer(rebasing: raw[..<first]))
                    md5.update(UnsafeRawBufferPointer(rebasing: raw[first..<second]))
                    md5.update(UnsafeRawBufferPointer(rebasing: raw[second...]))
                }
                #expect(md5.finalize().hexString == expected)
            }
        }
    }

    @Test func unalignedBuffersHashTheSame() {
        let input = SupportTestData.bytes(1000, seed: 4)
        let expected = MD5.hex(of: Array(input[1...]))
        input.withUnsafeBytes { raw in
            #expect(MD5.hex(of: UnsafeRawBufferPointer(rebasing: raw[1...])) == expected)
        }
    }

    @Test func copiesHashIndependently() {
        var md5 = MD5()
        md5.update([UInt8](text: "message "))
        var copy = md5
        md5.update([UInt8](text: "digest"))
        copy.update([UInt8](text: "digest"))
        copy.update([UInt8](text: "!"))
        #expect(md5.finalize().hexString == MD5.hex(of: [UInt8](text: "message digest")))
        #expect(copy.finalize().hexString == MD5.hex(of: [UInt8](text: "message digest!")))
    }

    @Test func hexStringFormatsEveryByte() {
        #expect([UInt8]().hexString == "")
        #expect([0x00, 0x0F, 0xA0, 0xFF].hexString == "000fa0ff")
        #expect((0...255).map { UInt8($0) }.hexString.count == 512)
    }

    @Test(.interop) func matchesHashlibOnAMultiMegabyteBuffer() throws {
        let folder = TemporaryFolder("md5")
        let input = SupportTestData.bytes(9 << 20 | 13, seed: 11)
        try LocalFile.writeAtomically(input, to: folder.path("input.bin"), sync: false)
        let output = try InteropPython.run(
            "import sys, hashlib; print(hashlib.md5(open(sys.argv[1], 'rb').read()).hexdigest())",
            arguments: [folder.path("input.bin")])
        #expect(output.stdout == MD5.hex(of: input) + "\n")
        var chunked = MD5()
        var offset = 0
        while offset < input.count {
            let end = min(input.count, offset + 1_000_003)
            chunked.update(Array(input[offset..<end]))
            offset = end
        }
        #expect(output.stdout == chunked.finalize().hexString + "\n")
    }

    static func bytes(ofHex hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }
}
