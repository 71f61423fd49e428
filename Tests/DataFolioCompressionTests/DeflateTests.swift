import DataFolioCompression
import DataFolioSupport
import Foundation
import Testing

@Suite("DEFLATE, zlib and gzip")
struct DeflateTests {
    @Test("round trips at every level", arguments: [0, 1, 4, 6, 9])
    func roundTrips(level: Int) throws {
        for (name, input) in TestData.roundTripCases {
            let packed = Deflate.compress(input, level: CompressionLevel(level))
            let unpacked = try Deflate.decompress(packed, maximumOutputSize: input.count + 1)
            #expect(unpacked == input, "\(name) at level \(level)")
        }
    }

    @Test func compressesRedundantData() {
        let text = TestData.text(200_000)
        let fast = Deflate.compress(text, level: .fastest)
        let normal = Deflate.compress(text, level: .default)
        #expect(normal.count < text.count / 3)
        #expect(normal.count <= fast.count)
        let zeros = Deflate.compress([UInt8](repeating: 0, count: 1_000_000))
        #expect(zeros.count < 2_000)
    }

    @Test func incompressibleDataStaysSmall() {
        let random = TestData.random(200_000)
        let packed = Deflate.compress(random)
        // Stored blocks cost 5 bytes each: well under 0.1 %.
        #expect(packed.count <= random.count + random.count / 1000 + 16)
    }

    @Test func largeInputRoundTrips() throws {
        var input = [UInt8]()
        for i in 0..<12 { input += TestData.text(1_000_000, seed: UInt64(i)) }
        input += TestData.random(500_000)
        let encoder = DeflateEncoder(level: .default)
        var packed = [UInt8]()
        var offset = 0
        while offset < input.count {
            let end = min(input.count, offset + 777_777)
            input[offset..<end].withUnsafeBytes { encoder.compress($0) }
            packed += encoder.takeOutput()
            offset = end
        }
        encoder.finish()
        packed += encoder.takeOutput()
        #expect(packed == Deflate.compress(input))
        let unpacked = try Deflate.decompress(packed, maximumOutputSize: input.count)
        #expect(unpacked == input)
    }

    @Test func decompressesIntoPreallocatedBuffer() throws {
        let input = TestData.text(50_000)
        let packed = Deflate.compress(input)
        var output = [UInt8](repeating: 0, count: input.count)
        let written = try packed.withUnsafeBytes { raw in
            try output.withUnsafeMutableBytes { try Deflate.decompress(raw, into: $0) }
        }
        #expect(written == input.count)
        #expect(output == input)

        var small = [UInt8](repeating: 0, count: input.count - 1)
        #expect(throws: DataFolioError.self) {
            try packed.withUnsafeBytes { raw in
                try small.withUnsafeMutableBytes { try Deflate.decompress(raw, into: $0) }
            }
        }
    }

    @Test func outputLimitStopsBombs() throws {
        let bomb = Deflate.compress([UInt8](repeating: 0, count: 10_000_000))
        do {
            _ = try Deflate.decompress(bomb, maximumOutputSize: 1_000_000)
            Issue.record("expected limitExceeded")
        } catch {
            #expect(error.code == .limitExceeded)
        }
    }

    @Test func knownStreams() throws {
        // A fixed-Huffman block "a" and a stored block "hi", written out by hand.
        #expect(try Deflate.decompress([0x4B, 0x04, 0x00], maximumOutputSize: 10) == Array("a".utf8))
        #expect(try Deflate.decompress([0x01, 0x02, 0x00, 0xFD, 0xFF, 0x68, 0x69], maximumOutputSize: 10) == Array("hi".utf8))
        #expect(try Deflate.decompress([0x03, 0x00], maximumOutputSize: 10) == [])
    }

    @Test func rejectsMalformedStreams() {
        let cases: [[UInt8]] = [
            [],
            [0x07],  // reserved block type
            [0x01, 0x02, 0x00, 0xFD, 0xFE, 0x68, 0x69],  // bad stored complement
            [0x01, 0x05, 0x00, 0xFA, 0xFF, 0x68],  // stored block cut short
            [0x4B, 0x04],  // fixed block without end
            [0x63, 0x00, 0x42, 0x00],  // fixed block whose first match reaches before the start
        ]
        for bytes in cases {
            #expect(throws: DataFolioError.self, "\(bytes)") { try Deflate.decompress(bytes, maximumOutputSize: 1000) }
        }
    }

    @Test func zlibRoundTripAndChecks() throws {
        for (name, input) in TestData.roundTripCases {
            let packed = Zlib.compress(input)
            #expect(try Zlib.decompress(packed, maximumOutputSize: input.count) == input, "\(name)")
        }
        let packed = Zlib.compress(TestData.text(1000))
        var damaged = packed
        damaged[damaged.count - 1] ^= 1
        #expect(throws: DataFolioError.self) { try Zlib.decompress(damaged, maximumOutputSize: 10_000) }
        #expect(throws: DataFolioError.self) { try Zlib.decompress(Array(packed.dropLast(2)), maximumOutputSize: 10_000) }
        #expect(throws: DataFolioError.self) { try Zlib.decompress([0x78, 0x00], maximumOutputSize: 10) }
        #expect(Adler32.checksum(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test func gzipRoundTripAndMembers() throws {
        for (name, input) in TestData.roundTripCases {
            let packed = Gzip.compress(input, level: .fastest)
            #expect(try Gzip.decompress(packed, maximumOutputSize: input.count) == input, "\(name)")
        }
        let a = TestData.text(5000, seed: 1)
        let b = TestData.text(7000, seed: 2)
        let joined = Gzip.compress(a) + Gzip.compress([]) + Gzip.compress(b) + [0, 0, 0]
        #expect(try Gzip.decompress(joined, maximumOutputSize: 20_000) == a + b)

        var damaged = Gzip.compress(a)
        damaged[damaged.count - 6] ^= 0x10
        #expect(throws: DataFolioError.self) { try Gzip.decompress(damaged, maximumOutputSize: 20_000) }
        #expect(throws: DataFolioError.self) { try Gzip.decompress(Gzip.compress(a) + [1, 2], maximumOutputSize: 20_000) }
    }

    @Test func gzipHeaderOptions() throws {
        // FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT, with a correct header CRC.
        var header: [UInt8] = [0x1F, 0x8B, 8, 0x1F, 1, 2, 3, 4, 0, 3]
        header += [4, 0, 0x41, 0x42, 2, 0]  // extra field of 4 bytes
        header += Array("name.txt".utf8) + [0]
        header += Array("a comment".utf8) + [0]
        let crc = CRC32.checksum(header)
        header += [UInt8(crc & 0xFF), UInt8((crc >> 8) & 0xFF)]
        let body = Array(Gzip.compress(Array("payload".utf8)).dropFirst(10))
        #expect(try Gzip.decompress(header + body, maximumOutputSize: 100) == Array("payload".utf8))
        var badCRC = header + body
        badCRC[header.count - 1] ^= 1
        #expect(throws: DataFolioError.self) { try Gzip.decompress(badCRC, maximumOutputSize: 100) }
    }
}

@Suite("DEFLATE output limits")
struct DeflateLimitTests {
    @Test("small limits are exact", arguments: [0, 1, 5, 63, 64, 65, 1000])
    func smallLimits(limit: Int) throws {
        let input = TestData.text(limit + 1)
        let packed = Deflate.compress(input)
        #expect(try Deflate.decompress(packed, maximumOutputSize: limit + 1) == input)
        #expect(throws: DataFolioError.self) { try Deflate.decompress(packed, maximumOutputSize: limit) }
        #expect(throws: DataFolioError.self) { try Gzip.decompress(Gzip.compress(input), maximumOutputSize: limit) }
    }
}
