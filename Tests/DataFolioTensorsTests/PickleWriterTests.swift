import DataFolioSupport
import DataFolioTensors
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Pickle writer")
struct PickleWriterTests {
    @Test func roundTripsThroughTheReader() throws {
        let value = expectedSampleValue()
        let bytes = try PickleWriter().serialize(value)
        #expect(bytes.prefix(2) == [0x80, 0x02])
        #expect(bytes.last == UInt8(ascii: "."))
        expectSameEntries(try PickleReader().read(bytes), value, "round trip")
    }

    @Test func roundTripsRecordsOfPythonCode() throws {
        let object = PickleObject(
            callable: .global(module: "mod", name: "Cls"), arguments: [.int(1), .string("a")],
            construction: .newObject, state: .dict(PickleDictionary([PicklePair(.string("k"), .float(2))])),
            listItems: [.int(3)], dictionaryItems: [PicklePair(.string("d"), .null)])
        let values: [PickleValue] = [
            .object(object),
            .persistentID(.tuple([.string("storage"), .global(module: "torch", name: "FloatStorage"), .string("0")])),
            .dict(PickleDictionary([PicklePair(.string("a"), .int(1))], isOrdered: true, state: .dict(PickleDictionary()))),
            .global(module: "builtins", name: "print"),
        ]
        for value in values {
            #expect(try PickleReader().read(try PickleWriter().serialize(value)) == value)
        }
    }

    @Test(arguments: [
        Int64(0), 1, 255, 256, 65535, 65536, -1, -129, Int64(Int32.max), Int64(Int32.max) + 1,
        Int64(Int32.min), Int64(Int32.min) - 1, Int64.max, Int64.min,
    ])
    func integersUseTheSmallestEncoding(number: Int64) throws {
        let bytes = try PickleWriter().serialize(.int(number))
        #expect(try PickleReader().read(bytes) == .int(number))
        let expectedSize: Int
        switch number {
        case 0...255: expectedSize = 2
        case 256...65535: expectedSize = 3
        case Int64(Int32.min)...Int64(Int32.max): expectedSize = 5
        default: expectedSize = 2 + PickleBigInteger(number).littleEndianBytes.count
        }
        #expect(bytes.count == 2 + expectedSize + 1)
    }

    @Test func largeContainersAreBatched() throws {
        let list = PickleValue.list((0..<2500).map { .int(Int64($0)) })
        let dict = PickleValue.dict(PickleDictionary((0..<1001).map { PicklePair(.int(Int64($0)), .string("v\($0 % 3)")) }))
        #expect(try PickleReader().read(try PickleWriter().serialize(list)) == list)
        #expect(try PickleReader().read(try PickleWriter().serialize(dict)) == dict)
        let big = PickleValue.bigInteger(PickleBigInteger(twosComplementLittleEndian: [UInt8](repeating: 0x5A, count: 300) + [0x01]))
        #expect(try PickleReader().read(try PickleWriter().serialize(big)) == big)
    }

    @Test func refusesWhatProtocolTwoCannotSay() {
        var deep = PickleValue.null
        for _ in 0..<300 { deep = .list([deep]) }
        expectError([.limitExceeded]) { _ = try PickleWriter().serialize(deep) }
        let keywords = PickleValue.object(PickleObject(
            callable: .global(module: "m", name: "C"), keywordArguments: [PicklePair(.string("a"), .int(1))], construction: .newObject))
        expectError([.unsupportedFeature]) { _ = try PickleWriter().serialize(keywords) }
        expectError([.invalidArgument]) { _ = try PickleWriter().serialize(.global(module: "a\nb", name: "c")) }
    }

    @Test(.interop) func pythonReadsWhatSwiftWrites() throws {
        let folder = TemporaryFolder("pickle-writer")
        let path = folder.path("swift.pkl")
        try LocalFile.writeAtomically(try PickleWriter().serialize(expectedSampleValue()), to: path)
        let script = try String(contentsOf: fixturesFolder().appendingPathComponent("make_pickle_fixtures.py"), encoding: .utf8)
        let output = try InteropPython.run(script + """

import sys
loaded = pickle.load(open(sys.argv[1], "rb"))
expected = sample_value()
assert type(loaded["ordered"]) is collections.OrderedDict, type(loaded["ordered"])
assert type(loaded["bytes"]) is bytes and type(loaded["bytearray"]) is bytearray
assert type(loaded["frozenset"]) is frozenset and type(loaded["set"]) is set
assert list(loaded.keys()) == list(expected.keys())
print(loaded == expected)
""", arguments: [path])
        #expect(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "True")
    }
}
