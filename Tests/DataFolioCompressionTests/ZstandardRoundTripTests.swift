import DataFolioCompression
import DataFolioSupport
import Testing

@Suite struct ZstandardRoundTripTests {
    struct Sample: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var testDescription: String { name }
    }

    static let samples = ZstandardTestData.samples.map { Sample(name: $0.0, bytes: $0.1) }

    @Test(arguments: samples, [1, 3, 5])
    func roundTrips(_ sample: Sample, level: Int) throws {
        let frame = Zstandard.compress(sample.bytes, level: level)
        #expect(try Zstandard.decompressedSize(of: frame) == sample.bytes.count)
        let restored = try Zstandard.decompress(frame, maximumOutputSize: sample.bytes.count)
        #expect(restored == sample.bytes)
        // Never much larger than the input: blocks fall back to raw storage.
        #expect(frame.count <= sample.bytes.count + 3 * (sample.bytes.count / (128 * 1024) + 1) + 18)
    }

    @Test(arguments: samples)
    func roundTripsWithChecksumIntoBuffer(_ sample: Sample) throws {
        let frame = Zstandard.compress(sample.bytes, level: 2, checksum: true)
        var output = [UInt8](repeating: 0, count: sample.bytes.count)
        let written = try output.withUnsafeMutableBytes { try Zstandard.decompress(frame, into: $0) }
        #expect(written == sample.bytes.count)
        #expect(output == sample.bytes)
    }

    @Test func compressesRedundantData() {
        let text = ZstandardTestData.text(200_000)
        #expect(Zstandard.compress(text, level: 1).count < text.count / 3)
        #expect(Zstandard.compress(text).count < text.count / 3)
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        #expect(Zstandard.compress(zeros).count < 100)
        let column = ZstandardTestData.int64Column(100_000)
        #expect(Zstandard.compress(column).count < column.count / 2)
    }

    @Test func incompressibleDataStaysRaw() {
        let noise = ZstandardTestData.random(500_000)
        let frame = Zstandard.compress(noise)
        #expect(frame.count <= noise.count + 4 * 3 + 18)
        #expect(frame.count >= noise.count)
    }

    @Test func levelsOutsideTheRangeAreClamped() throws {
        let text = ZstandardTestData.text(10_000)
        for level in [-5, 0, 100] {
            #expect(try Zstandard.decompress(Zstandard.compress(text, level: level), maximumOutputSize: 10_000) == text)
        }
    }

    @Test func checksumIsVerified() throws {
        var frame = Zstandard.compress(ZstandardTestData.text(5_000), checksum: true)
        frame[frame.count - 1] ^= 0x01
        #expect {
            _ = try Zstandard.decompress(frame, maximumOutputSize: 5_000)
        } throws: { ($0 as? DataFolioError)?.code == .corruptData }
    }

    @Test func concatenatedFramesDecodeInOrder() throws {
        let parts = [ZstandardTestData.text(70_000), [], ZstandardTestData.int64Column(3_000)]
        let stream = parts.flatMap { Zstandard.compress($0, checksum: true) }
        #expect(try Zstandard.decompressedSize(of: stream) == parts.map(\.count).reduce(0, +))
        #expect(try Zstandard.decompress(stream, maximumOutputSize: 1 << 20) == parts.flatMap { $0 })
    }

    @Test func largeInputUsesAWindowDescriptor() throws {
        // 20 MB: more than the 8 MB window, so the frame is not a single segment.
        let input = ZstandardTestData.mixed(20 << 20)
        let frame = Zstandard.compress(input)
        #expect(frame[4] & 0x20 == 0)
        #expect(try Zstandard.decompressedSize(of: frame) == input.count)
        var output = [UInt8](repeating: 0, count: input.count)
        let written = try output.withUnsafeMutableBytes { try Zstandard.decompress(frame, into: $0) }
        #expect(written == input.count)
        #expect(output == input)
    }

    @Test func worksFromManyTasksAtOnce() async throws {
        let inputs = (0..<8).map { ZstandardTestData.text(50_000 + $0 * 1_000, seed: UInt64($0)) }
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for input in inputs {
                group.addTask {
                    let frame = Zstandard.compress(input, level: 1 + input.count % 5, checksum: true)
                    return try Zstandard.decompress(frame, maximumOutputSize: input.count) == input
                }
            }
            var all: [Bool] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results == [Bool](repeating: true, count: inputs.count))
    }
}
