import DataFolioNumPy
import DataFolioSupport
import DataFolioTestSupport
import Foundation
import Testing

/// Files written by numpy (see Fixtures/make_npy_fixtures.py) and what they hold.
struct NPYFixture: Decodable, Sendable, CustomStringConvertible {
    var file: String
    var descr: String
    var shape: [Int]
    var fortran: Bool
    var version: [UInt8]
    var canonical_hex: String
    var size: Int?
    var strings: [String]?
    var bytes_hex: [String]?
    var doubles: [JSONNumber?]?

    var description: String { file }

    /// A JSON float, or the strings "inf" / "-inf" numpy's JSON cannot hold as numbers.
    enum JSONNumber: Decodable, Sendable {
        case value(Double)
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                self = .value(number)
            } else {
                self = .value(try container.decode(String.self) == "inf" ? .infinity : -.infinity)
            }
        }
        var double: Double { if case .value(let v) = self { return v } else { return 0 } }
    }

    static let folder = fixturesFolder().appendingPathComponent("npy")

    static let all: [NPYFixture] = {
        struct Manifest: Decodable { var arrays: [NPYFixture] }
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("manifest.json")),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else { return [] }
        return manifest.arrays
    }()
}

@Suite struct NPYFixtureTests {
    @Test func manifestIsPresent() {
        #expect(NPYFixture.all.count >= 45)
    }

    @Test(arguments: NPYFixture.all)
    func readsNumpyFileExactly(fixture: NPYFixture) throws {
        let path = NPYFixture.folder.appendingPathComponent(fixture.file).path
        let bytes = try LocalFile.read(path)
        #expect(bytes.count == fixture.size)
        for array in [try NDArray(npyData: bytes), try NDArray(contentsOfNPY: path), try NDArray(contentsOfNPY: path, memoryMapped: true)] {
            #expect(array.dtype.numpyDescriptor == fixture.descr)
            #expect(array.shape == fixture.shape)
            #expect(array.order == (fixture.fortran ? .columnMajor : .rowMajor))
            let canonical = array.nativeByteOrder().rowMajor().withUnsafeBytes { Array($0) }
            #expect(canonical == NPYTestBytes.hex(fixture.canonical_hex))
            if let strings = fixture.strings {
                #expect(try array.strings() == strings)
            }
            if let bytesHex = fixture.bytes_hex {
                #expect(try array.byteStrings() == bytesHex.map(NPYTestBytes.hex))
            }
            if let doubles = fixture.doubles {
                let values = try array.doubleValues()
                #expect(values.count == doubles.count)
                for (value, expected) in zip(values, doubles) {
                    if let expected {
                        #expect(value == expected.double)
                    } else {
                        #expect(value.isNaN)
                    }
                }
            }
        }
        let header = try NPYHeader(contentsOfNPY: path)
        #expect([header.version.major, header.version.minor] == fixture.version)
        // Writing the array again in the same version gives numpy's bytes exactly.
        let version = try #require(NPYFormatVersion(major: fixture.version[0], minor: fixture.version[1]))
        #expect(try NDArray(npyData: bytes).npyData(version: version) == bytes)
        if version == .v1 {
            #expect(try NDArray(npyData: bytes).npyData() == bytes)
        }
    }
}
