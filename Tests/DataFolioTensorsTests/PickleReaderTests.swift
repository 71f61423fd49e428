import DataFolioSupport
import DataFolioTensors
import DataFolioTestSupport
import Foundation
import Testing

/// The value of `sample_value()` in Fixtures/make_pickle_fixtures.py.
func expectedSampleValue() -> PickleValue {
    let shared = PickleValue.list([.int(9), .string("shared")])
    func s(_ text: String) -> PickleValue { .string(text) }
    return .dict(PickleDictionary([
        PicklePair(s("none"), .null),
        PicklePair(s("true"), .bool(true)),
        PicklePair(s("false"), .bool(false)),
        PicklePair(s("small"), .int(7)),
        PicklePair(s("negative"), .int(-5)),
        PicklePair(s("int16"), .int(40000)),
        PicklePair(s("int32"), .int(-(1 << 31))),
        PicklePair(s("int64"), .int(1 << 62)),
        PicklePair(s("big"), .bigInteger(PickleBigInteger(decimal: "1180591620717411303424")!)),
        PicklePair(s("negative_big"), .bigInteger(PickleBigInteger(decimal: "-1267650600228229401496703205376")!)),
        PicklePair(s("float"), .float(1.5)),
        PicklePair(s("infinity"), .float(.infinity)),
        PicklePair(s("text"), s("héllo ✓\nline")),
        PicklePair(s("empty"), s("")),
        PicklePair(s("bytes"), .bytes([0, 0xFF, 0x61, 0x62, 0x0A])),
        PicklePair(s("bytearray"), .byteArray([0x78, 0x79])),
        PicklePair(s("nested"), .list([.int(1), .list([.int(2), .list([.float(3.25)])])])),
        PicklePair(s("tuple"), .tuple([.int(1), s("a")])),
        PicklePair(s("tuple1"), .tuple([.int(1)])),
        PicklePair(s("tuple0"), .tuple([])),
        PicklePair(s("tuple4"), .tuple([.int(1), .int(2), .int(3), .int(4)])),
        PicklePair(s("set"), .set([.int(3)])),
        PicklePair(s("frozenset"), .frozenSet([.int(4)])),
        PicklePair(s("complex"), .complex(real: 1, imaginary: 2)),
        PicklePair(s("ordered"), .dict(PickleDictionary([PicklePair(s("b"), .int(1)), PicklePair(s("a"), .int(2))], isOrdered: true))),
        PicklePair(s("s1"), shared),
        PicklePair(s("s2"), shared),
        PicklePair(.int(1), s("int key")),
        PicklePair(.tuple([.int(1), .int(2)]), s("tuple key")),
    ]))
}

/// Compares two values pair by pair so a failure names the entry that differs.
func expectSameEntries(_ actual: PickleValue, _ expected: PickleValue, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard case .dict(let a) = actual, case .dict(let e) = expected else {
        #expect(actual == expected, "\(label)", sourceLocation: sourceLocation)
        return
    }
    #expect(a.entries.map(\.key) == e.entries.map(\.key), "\(label): keys", sourceLocation: sourceLocation)
    for (x, y) in zip(a.entries, e.entries) where x != y {
        Issue.record("\(label): \(x.key) is \(x.value), expected \(y.value)", sourceLocation: sourceLocation)
    }
}

@Suite("Pickle reader")
struct PickleReaderTests {
    @Test(arguments: 0...5)
    func readsEveryProtocolFromPythonFixtures(protocolVersion: Int) throws {
        let url = fixturesFolder().appendingPathComponent("values_protocol_\(protocolVersion).pkl")
        let bytes = try LocalFile.read(url.path)
        let value = try PickleReader().read(bytes)
        expectSameEntries(value, expectedSampleValue(), "protocol \(protocolVersion)")
    }

    @Test(.interop, arguments: 0...5)
    func readsFreshPicklesFromPython(protocolVersion: Int) throws {
        let folder = TemporaryFolder("pickle")
        let path = folder.path("value.pkl")
        let script = try String(contentsOf: fixturesFolder().appendingPathComponent("make_pickle_fixtures.py"), encoding: .utf8)
        try InteropPython.run(script + "\nimport sys\npickle.dump(sample_value(), open(sys.argv[1], 'wb'), protocol=int(sys.argv[2]))\n",
                              arguments: [path, String(protocolVersion)])
        let value = try PickleReader().read(try LocalFile.read(path))
        expectSameEntries(value, expectedSampleValue(), "fresh protocol \(protocolVersion)")
    }

    @Test func bigIntegersConvertAndPrint() throws {
        let big = try #require(PickleBigInteger(decimal: "-1267650600228229401496703205376"))
        #expect(big.description == "-1267650600228229401496703205376")
        #expect(big.isNegative)
        #expect(big.int64Value == nil)
        #expect(PickleBigInteger(Int64.min).int64Value == Int64.min)
        #expect(PickleBigInteger(Int64.min).description == String(Int64.min))
        #expect(PickleBigInteger(0).littleEndianBytes.isEmpty)
        #expect(PickleBigInteger(-1).littleEndianBytes == [0xFF])
        #expect(PickleBigInteger(255).littleEndianBytes == [0xFF, 0x00])
        #expect(PickleBigInteger(decimal: "12a") == nil)
        #expect(PickleBigInteger(decimal: String(repeating: "9", count: 4301)) == nil)
        let huge = PickleBigInteger(twosComplementLittleEndian: [UInt8](repeating: 0x11, count: 3000) + [0x01])
        #expect(huge.description.hasPrefix("0x1"))
    }

    @Test func rendersValuesForDisplay() {
        let value = PickleValue.dict(PickleDictionary([
            PicklePair(.string("a"), .list([.int(1), .float(2.5), .null, .bool(true)])),
            PicklePair(.string("t"), .tuple([.bytes([0x41, 0x00])])),
            PicklePair(.string("call"), .object(PickleObject(callable: .global(module: "os", name: "system"), arguments: [.string("ls")]))),
        ]))
        #expect(value.description == #"{'a': [1, 2.5, None, True], 't': (b'A\x00',), 'call': <<global os.system>('ls',)>}"#)
    }
}

@Suite("Pickle reader with hostile input")
struct PickleHostileInputTests {
    func pickle(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func osSystemIsRecordedNeverRun() throws {
        let folder = TemporaryFolder("pickle-hostile")
        let marker = folder.path("pwned")
        let bytes = pickle("cos\nsystem\n(S'touch \(marker)'\ntR.")
        let value = try PickleReader().read(bytes)
        guard case .object(let object) = value else {
            Issue.record("expected an object record, got \(value)")
            return
        }
        #expect(object.callable == .global(module: "os", name: "system"))
        #expect(object.arguments == [.string("touch \(marker)")])
        #expect(object.construction == .reduce)
        #expect(!FileManager.default.fileExists(atPath: marker))
        expectError([.unsupportedFeature], "allow-list") {
            _ = try PickleReader(globals: .allowOnly(["collections.OrderedDict"])).read(bytes)
        }
    }

    @Test func evalThroughStackGlobalIsRecorded() throws {
        // protocol 4: SHORT_BINUNICODE 'builtins', 'eval', STACK_GLOBAL, 'print(1)', TUPLE1, REDUCE
        var bytes: [UInt8] = [0x80, 0x04, 0x8C, 8] + Array("builtins".utf8) + [0x8C, 4] + Array("eval".utf8) + [0x93]
        bytes += [0x8C, 8] + Array("print(1)".utf8) + [0x85, UInt8(ascii: "R"), UInt8(ascii: ".")]
        let value = try PickleReader().read(bytes)
        guard case .object(let object) = value else {
            Issue.record("expected an object record")
            return
        }
        #expect(object.callableName == "builtins.eval")
        expectError([.unsupportedFeature]) { _ = try PickleReader(globals: .allowOnly([])).read(bytes) }
        // Pure-data constructors stay allowed under any allow-list.
        let set = try PickleReader(globals: .allowOnly([])).read(pickle("c__builtin__\nset\n((lp0\nI1\naI2\natR."))
        #expect(set == .set([.int(1), .int(2)]))
    }

    @Test func newObjectAndBuildAreRecorded() throws {
        // cls = mod.Cls; NEWOBJ with (1,); BUILD {'x': 2}; SETITEMS and APPENDS on the record
        let bytes: [UInt8] = [0x80, 0x02] + pickle("cmod\nCls\n") + [UInt8(ascii: "K"), 1, 0x85, 0x81]
            + pickle("}") + pickle("X") + [1, 0, 0, 0] + pickle("x") + [UInt8(ascii: "K"), 2, UInt8(ascii: "s"), UInt8(ascii: "b")]
            + [UInt8(ascii: "K"), 5, UInt8(ascii: "a"), UInt8(ascii: ".")]
        let value = try PickleReader().read(bytes)
        let expected = PickleObject(
            callable: .global(module: "mod", name: "Cls"), arguments: [.int(1)], construction: .newObject,
            state: .dict(PickleDictionary([PicklePair(.string("x"), .int(2))])), listItems: [.int(5)])
        #expect(value == .object(expected))
    }

    @Test(arguments: [
        ("BINUNICODE length 4 GiB", [UInt8(ascii: "X"), 0xFF, 0xFF, 0xFF, 0xFF, 0x41, 0x2E]),
        ("BINUNICODE8 length 2^63", [0x8D, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x41]),
        ("BINBYTES8 huge", [0x8E, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
        ("BYTEARRAY8 huge", [0x96, 0, 0, 0, 0, 0, 0, 0, 0x10]),
        ("LONG4 huge", [0x8B, 0xFF, 0xFF, 0xFF, 0x7F, 0]),
        ("FRAME huge", [0x80, 0x04, 0x95, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x4E, 0x2E]),
        ("no STOP", [UInt8(ascii: "N")]),
        ("empty", []),
        ("unterminated GLOBAL", Array("cos\nsys".utf8)),
    ] as [(String, [UInt8])])
    func absurdLengthsAreTruncationErrors(label: String, bytes: [UInt8]) {
        expectError([.truncatedData], label) { _ = try PickleReader().read(bytes) }
    }

    @Test(arguments: [
        ("memo index out of range", [UInt8(ascii: "h"), 5, UInt8(ascii: ".")], DataFolioError.Code.corruptData),
        ("long memo index out of range", [UInt8(ascii: "j"), 0xFF, 0xFF, 0xFF, 0xFF, UInt8(ascii: ".")], .corruptData),
        ("text memo index", Array("g99999999999999999999\n.".utf8), .corruptData),
        ("stack underflow", Array("a.".utf8), .corruptData),
        ("STOP on empty stack", Array(".".utf8), .corruptData),
        ("SETITEMS without mark", Array("}N.".utf8).replacingLast(2, with: Array("Nu.".utf8)), .corruptData),
        ("odd SETITEMS", Array("}(Nu.".utf8), .corruptData),
        ("APPEND to a number", Array("K".utf8) + [1] + Array("Na.".utf8), .corruptData),
        ("unknown opcode", [0xFF], .corruptData),
        ("EXT1", [0x80, 0x02, 0x82, 0x01, 0x2E], .unsupportedFeature),
        ("EXT4", [0x80, 0x02, 0x84, 0x01, 0, 0, 0, 0x2E], .unsupportedFeature),
        ("protocol 6", [0x80, 0x06, 0x4E, 0x2E], .unsupportedFeature),
        ("NEXT_BUFFER", [0x80, 0x05, 0x97, 0x2E], .unsupportedFeature),
        ("invalid UTF-8", [UInt8(ascii: "X"), 1, 0, 0, 0, 0xFF, 0x2E], .corruptData),
        ("recursive list", [UInt8(ascii: "]"), UInt8(ascii: "q"), 0, UInt8(ascii: "h"), 0, UInt8(ascii: "a"), 0x2E], .unsupportedFeature),
        ("REDUCE without tuple", Array("cos\nsystem\nNR.".utf8), .corruptData),
        ("bad float", Array("Fabc\n.".utf8), .corruptData),
        ("bad int", Array("I12x\n.".utf8), .corruptData),
        ("unquoted STRING", Array("Sabc\n.".utf8), .corruptData),
        ("BUILD on a list", Array("]Nb.".utf8), .unsupportedFeature),
        ("negative LONG4 length", [0x8B, 0xFF, 0xFF, 0xFF, 0xFF, 0x2E], .corruptData),
    ] as [(String, [UInt8], DataFolioError.Code)])
    func malformedPicklesGiveClearErrors(label: String, bytes: [UInt8], code: DataFolioError.Code) {
        expectError([code], label) { _ = try PickleReader().read(bytes) }
    }

    @Test func hundredThousandNestedListsHitTheDepthLimit() {
        let depth = 100_000
        let appended = [UInt8](repeating: UInt8(ascii: "]"), count: depth) + [UInt8](repeating: UInt8(ascii: "a"), count: depth - 1) + [0x2E]
        expectError([.limitExceeded], "APPEND chain") { _ = try PickleReader().read(appended) }
        let marked = [UInt8](repeating: UInt8(ascii: "("), count: depth) + [UInt8](repeating: UInt8(ascii: "l"), count: depth) + [0x2E]
        expectError([.limitExceeded], "MARK chain") { _ = try PickleReader().read(marked) }
        let tuples = [UInt8](repeating: UInt8(ascii: "N"), count: 1) + [UInt8](repeating: 0x85, count: depth) + [0x2E]
        expectError([.limitExceeded], "TUPLE1 chain") { _ = try PickleReader().read(tuples) }
        let shallow = [UInt8](repeating: UInt8(ascii: "]"), count: 100) + [UInt8](repeating: UInt8(ascii: "a"), count: 99) + [0x2E]
        #expect((try? PickleReader().read(shallow)) != nil)
    }

    @Test func sharedReferencesCannotExplode() {
        // x = []; repeat 40 times: x = [x, x]  → 2^40 leaves once expanded.
        var bytes: [UInt8] = [UInt8(ascii: "]")]
        for _ in 0..<40 {
            bytes += [UInt8(ascii: "q"), 0, UInt8(ascii: "h"), 0, UInt8(ascii: "h"), 0, 0x86, UInt8(ascii: "q"), 0]
        }
        bytes.append(0x2E)
        expectError([.limitExceeded]) { _ = try PickleReader().read(bytes) }
        let small = PickleReader(limits: .init(maximumValues: 10))
        expectError([.limitExceeded]) { _ = try small.read(Array("(NNNNNNNNNNNNt.".utf8)) }
    }

    @Test func memoLimitIsEnforced() {
        let reader = PickleReader(limits: .init(maximumMemoEntries: 3))
        let bytes: [UInt8] = [UInt8(ascii: "N"), 0x94, 0x94, 0x94, 0x94, 0x2E]
        // MEMOIZE stores at len(memo): four entries.
        expectError([.limitExceeded]) { _ = try reader.read(bytes) }
    }

    @Test func everyTruncationOfAValidPickleFails() throws {
        for protocolVersion in [0, 2, 4, 5] {
            let bytes = try LocalFile.read(fixturesFolder().appendingPathComponent("values_protocol_\(protocolVersion).pkl").path)
            for length in 0..<bytes.count {
                expectError([.truncatedData, .corruptData], "protocol \(protocolVersion) cut at \(length)") {
                    _ = try PickleReader().read(Array(bytes.prefix(length)))
                }
            }
        }
    }

    @Test func randomCorruptionNeverCrashes() throws {
        let bytes = try LocalFile.read(fixturesFolder().appendingPathComponent("values_protocol_2.pkl").path)
        var generator = SplitMix64(seed: 7)
        var failures = 0
        for _ in 0..<3000 {
            var mutated = bytes
            for _ in 0..<Int(generator.next() % 4 + 1) {
                let position = Int(generator.next() % UInt64(mutated.count))
                mutated[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            do { _ = try PickleReader().read(mutated) } catch { failures += 1 }
        }
        #expect(failures > 0)
    }
}

typealias SplitMix64 = SeededRandom

extension Array where Element == UInt8 {
    func replacingLast(_ count: Int, with tail: [UInt8]) -> [UInt8] { Array(dropLast(count)) + tail }
}
