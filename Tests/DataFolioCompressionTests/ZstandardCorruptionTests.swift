import DataFolioCompression
import DataFolioSupport
import Foundation
import Testing

/// Damaged and hostile input: every call must return or throw a ``DataFolioError``,
/// never trap, hang or allocate what the data merely claims.
@Suite struct ZstandardCorruptionTests {
    static func frames() throws -> [(name: String, frame: [UInt8], size: Int)] {
        var frames: [(String, [UInt8], Int)] = []
        for fixture in ZstandardFixtureTests.fixtures where fixture.size <= 200_000 {
            frames.append((fixture.name, try ZstandardFixtureTests.load(fixture.name), fixture.size))
        }
        for (name, sample) in ZstandardTestData.samples where sample.count <= 300_000 {
            frames.append(("swift " + name, Zstandard.compress(sample, level: 3, checksum: sample.count % 2 == 0), sample.count))
        }
        return frames
    }

    static func isExpectedError(_ error: DataFolioError) -> Bool {
        [.truncatedData, .corruptData, .limitExceeded, .unsupportedFeature].contains(error.code)
    }

    @Test func everyTruncationOfAFrameThrows() throws {
        for (name, frame, size) in try Self.frames() where !name.contains("multiple-frames") && !name.contains("skippable") {
            var cuts = Set([0, 1, 3, 4, 5, 8, frame.count - 1, frame.count - 2, frame.count - 4])
            var generator = ZstandardTestData.Generator(seed: UInt64(frame.count))
            for _ in 0..<20 { cuts.insert(Int(generator.next() % UInt64(frame.count))) }
            for cut in cuts where cut >= 0 && cut < frame.count {
                let prefix = Array(frame.prefix(cut))
                var output = [UInt8](repeating: 0, count: size)
                #expect(throws: DataFolioError.self, "\(name) cut at \(cut)") {
                    _ = try output.withUnsafeMutableBytes { try Zstandard.decompress(prefix, into: $0) }
                }
                #expect(throws: DataFolioError.self, "\(name) cut at \(cut)") {
                    _ = try Zstandard.decompress(prefix, maximumOutputSize: size + 1000)
                }
            }
        }
    }

    @Test func randomByteFlipsNeverCrash() throws {
        var generator = ZstandardTestData.Generator(seed: 2024)
        var failures = 0
        var successes = 0
        for (name, frame, size) in try Self.frames() where frame.count > 8 {
            for _ in 0..<120 {
                var damaged = frame
                for _ in 0...(generator.next() % 4) {
                    // Mostly inside the data, sometimes in the headers.
                    let position = generator.next() % 4 == 0
                        ? Int(generator.next() % UInt64(min(frame.count, 16)))
                        : Int(generator.next() % UInt64(frame.count))
                    damaged[position] ^= UInt8(truncatingIfNeeded: generator.next() % 255 + 1)
                }
                do {
                    let restored = try Zstandard.decompress(damaged, maximumOutputSize: size + 4096)
                    #expect(restored.count <= size + 4096)
                    successes += 1
                } catch {
                    #expect(Self.isExpectedError(error), "\(name): \(error)")
                    failures += 1
                }
                var output = [UInt8](repeating: 0, count: size)
                do {
                    let written = try output.withUnsafeMutableBytes { try Zstandard.decompress(damaged, into: $0) }
                    #expect(written <= size)
                } catch let error as DataFolioError {
                    #expect(Self.isExpectedError(error), "\(name): \(error)")
                } catch {
                    Issue.record("unexpected error type: \(error)")
                }
                _ = try? Zstandard.decompressedSize(of: damaged)
            }
        }
        #expect(failures > successes)
    }

    @Test func randomBytesAfterAValidHeaderNeverCrash() throws {
        var generator = ZstandardTestData.Generator(seed: 77)
        for round in 0..<3000 {
            let length = Int(generator.next() % 300)
            var frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, round % 2 == 0 ? 0x20 : 0x00, UInt8(truncatingIfNeeded: round)]
            // A compressed last block holding the random bytes.
            let header = 1 | 2 << 1 | length << 3
            frame += [UInt8(truncatingIfNeeded: header), UInt8(truncatingIfNeeded: header >> 8), UInt8(truncatingIfNeeded: header >> 16)]
            frame += ZstandardTestData.random(length, seed: generator.next())
            if length > 0 && round % 3 == 0 {
                // Give the literals section a plausible Huffman header.
                frame[9] = UInt8(truncatingIfNeeded: 2 | UInt64(round % 4) << 2 | (generator.next() % 16) << 4)
            }
            do {
                _ = try Zstandard.decompress(frame, maximumOutputSize: 1 << 20)
            } catch {
                #expect(Self.isExpectedError(error))
            }
        }
    }

    @Test func decompressionBombStopsAtTheLimit() throws {
        // 1000 RLE blocks of 128 KB (125 MB) from 4 KB of input, without a content size.
        var frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x58]
        for index in 0..<1000 {
            let header = (index == 999 ? 1 : 0) | 1 << 1 | (128 * 1024) << 3
            frame += [UInt8(truncatingIfNeeded: header), UInt8(truncatingIfNeeded: header >> 8), UInt8(truncatingIfNeeded: header >> 16), 0x41]
        }
        #expect(try Zstandard.decompressedSize(of: frame) == nil)
        #expect {
            _ = try Zstandard.decompress(frame, maximumOutputSize: 1 << 20)
        } throws: { ($0 as? DataFolioError)?.code == .limitExceeded }
        #expect(try Zstandard.decompress(frame, maximumOutputSize: 1000 * 128 * 1024).count == 1000 * 128 * 1024)
    }

    @Test func lyingContentSizeDoesNotAllocate() throws {
        // Claims 2^40 bytes, holds 5.
        var frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0xE0]
        frame += withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Array($0) }
        frame += [0x29, 0, 0] + Array("hello".utf8)
        #expect(try Zstandard.decompressedSize(of: frame) == 1 << 40)
        #expect {
            _ = try Zstandard.decompress(frame, maximumOutputSize: Int.max)
        } throws: { ($0 as? DataFolioError)?.code == .corruptData }
        var output = [UInt8](repeating: 0, count: 100)
        #expect {
            _ = try output.withUnsafeMutableBytes { try Zstandard.decompress(frame, into: $0) }
        } throws: { ($0 as? DataFolioError)?.code == .limitExceeded }
    }

    @Test func contentSizeMismatchIsCorrupt() throws {
        // Claims 6 bytes, holds 5.
        let frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x20, 6, 0x29, 0, 0] + Array("hello".utf8)
        var output = [UInt8](repeating: 0, count: 6)
        #expect {
            _ = try output.withUnsafeMutableBytes { try Zstandard.decompress(frame, into: $0) }
        } throws: { ($0 as? DataFolioError)?.code == .corruptData }
    }

    @Test func headerProblemsHaveClearErrors() throws {
        func code(_ bytes: [UInt8]) -> DataFolioError.Code? {
            do {
                _ = try Zstandard.decompress(bytes, maximumOutputSize: 1000)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code([]) == .truncatedData)
        #expect(code([0x28, 0xB5]) == .truncatedData)
        #expect(code(Array("PAR1 not zstd".utf8)) == .corruptData)
        // Reserved bit of the frame header descriptor.
        #expect(code([0x28, 0xB5, 0x2F, 0xFD, 0x28, 0, 0x01, 0, 0]) == .corruptData)
        // A dictionary ID.
        #expect(code([0x28, 0xB5, 0x2F, 0xFD, 0x21, 0x07, 0, 0x01, 0, 0]) == .unsupportedFeature)
        // The reserved block type.
        #expect(code([0x28, 0xB5, 0x2F, 0xFD, 0x20, 0, 0x07, 0, 0]) == .corruptData)
        // A block larger than the frame's window.
        #expect(code([0x28, 0xB5, 0x2F, 0xFD, 0x20, 2, 0x19, 0, 0, 1, 2, 3]) == .corruptData)
        // Trailing garbage after a valid frame.
        #expect(code([0x28, 0xB5, 0x2F, 0xFD, 0x20, 0, 0x01, 0, 0, 0x12]) == .truncatedData)
        // A skippable frame that claims more bytes than remain.
        #expect(code([0x50, 0x2A, 0x4D, 0x18, 0xFF, 0, 0, 0, 1, 2]) == .truncatedData)
    }
}
