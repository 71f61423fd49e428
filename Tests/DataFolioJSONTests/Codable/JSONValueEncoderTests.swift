import DataFolioJSON
import DataFolioSupport
import Foundation
import Testing

@Suite("JSONValueEncoder")
struct JSONValueEncoderTests {
    let encoder = JSONValueEncoder()

    /// The compact text of `value` encoded with `encoder`.
    func text(_ value: some Encodable, _ encoder: JSONValueEncoder = JSONValueEncoder()) throws -> String {
        try encoder.encode(value).formatted(indented: false)
    }

    func error(_ body: () throws -> Void) -> DataFolioError? {
        do {
            try body()
            Issue.record("expected an error")
            return nil
        } catch let error as DataFolioError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test("struct fields come out in declaration order")
    func declarationOrder() throws {
        #expect(try text(FieldOrder()) == #"{"zeta":1,"alpha":2,"mu":3,"beta":4}"#)
        #expect(try encoder.encode(FieldOrder()).objectValue?.keys == ["zeta", "alpha", "mu", "beta"])
    }

    @Test("every supported type")
    func everything() throws {
        let value = try encoder.encode(Everything())
        #expect(value.formatted(indented: false) == """
        {"bool":true,"string":"text","int":-1,"int8":-8,"int16":-16,"int32":-32,"int64":-9223372036854775808,\
        "uint":1,"uint8":255,"uint16":16,"uint32":4294967295,"uint64":9223372036854775807,"float":0.1,"double":0.1,\
        "date":"2024-01-15T10:30:00.123456+00:00","data":"AAEC/w==","url":"https://example.com/a?b=c","decimal":12.345,\
        "optionalPresent":5,"array":[1,2,3],"nestedArray":[[1],[],[2,3]],"dictionary":{"b":2},"intKeys":{"3":"three"},\
        "activation":"gelu","level":10,"json":{"z":1,"a":[true,null]}}
        """)
    }

    @Test("nil optionals: encodeIfPresent omits the key, encodeNil writes null")
    func optionals() throws {
        struct Pair: Encodable { var a: Int?; var b: String? }
        #expect(try text(Pair(a: nil, b: "x")) == #"{"b":"x"}"#)
        #expect(try text(Pair(a: nil, b: nil)) == "{}")
        #expect(try text(ExplicitNull(value: nil)) == #"{"value":null}"#)
        #expect(try text(ExplicitNull(value: 3)) == #"{"value":3}"#)
        #expect(try text([1, nil, 3] as [Int?]) == "[1,null,3]")
        #expect(try text(Int?.none) == "null")
        #expect(try text(["k": nil] as [String: Int?]) == #"{"k":null}"#)
    }

    @Test("nested structs, arrays of structs, enums")
    func nested() throws {
        let config = RunConfig(
            name: "baseline", learningRate: 0.001, epochs: 10, layers: [64, 32], dropout: nil,
            optimizer: Optimizer(kind: "adam", momentum: 0.9, betas: [0.9, 0.999]),
            schedule: .step(every: 5, factor: 0.5), tags: ["team": "vision"],
            startedAt: Date(timeIntervalSince1970: 1_705_314_600), notes: "first")
        #expect(try encoder.encode(config).formatted() == """
        {
          "name": "baseline",
          "learningRate": 0.001,
          "epochs": 10,
          "layers": [
            64,
            32
          ],
          "optimizer": {
            "kind": "adam",
            "momentum": 0.9,
            "betas": [
              0.9,
              0.999
            ]
          },
          "schedule": {
            "step": {
              "every": 5,
              "factor": 0.5
            }
          },
          "tags": {
            "team": "vision"
          },
          "startedAt": "2024-01-15T10:30:00+00:00",
          "notes": "first"
        }
        """)
        #expect(try text([Optimizer(kind: "sgd", momentum: 0, betas: []), Optimizer(kind: "adam", momentum: 1.5, betas: [1])])
            == #"[{"kind":"sgd","momentum":0.0,"betas":[]},{"kind":"adam","momentum":1.5,"betas":[1.0]}]"#)
        #expect(try text(Schedule.constant) == #"{"constant":{}}"#)
        #expect(try text(Schedule.cosine(3)) == #"{"cosine":{"_0":3}}"#)
        #expect(try text(Activation.relu) == #""relu""#)
        #expect(try text(Level.low) == "1")
    }

    @Test("top-level scalars and collections")
    func topLevel() throws {
        #expect(try encoder.encode(42) == 42)
        #expect(try encoder.encode("s") == "s")
        #expect(try encoder.encode(2.5) == 2.5)
        #expect(try encoder.encode(true) == true)
        #expect(try encoder.encode([Int]()) == [])
        #expect(try encoder.encode([String: Int]()) == [:])
        #expect(try encoder.encode(JSONValue.null) == .null)
        #expect(try JSONValue(encoding: [1.5, 2]) == [1.5, 2.0])
    }

    @Test("a type that encodes nothing becomes an empty object")
    func encodesNothing() throws {
        struct Nothing: Encodable {
            func encode(to encoder: any Encoder) throws {}
        }
        #expect(try encoder.encode(Nothing()) == [:])
        #expect(try text([Nothing()]) == "[{}]")
    }

    @Test("dates: ISO 8601 with microseconds by default, or numbers")
    func dates() throws {
        let date = Date(timeIntervalSince1970: 1_705_314_600.123456)
        #expect(try encoder.encode(date) == "2024-01-15T10:30:00.123456+00:00")
        #expect(try encoder.encode(Date(timeIntervalSince1970: 1_705_332_600)) == "2024-01-15T15:30:00+00:00")
        var seconds = JSONValueEncoder()
        seconds.dateEncodingStrategy = .secondsSince1970
        #expect(try seconds.encode(Date(timeIntervalSince1970: 1_705_332_600)) == .double(1_705_332_600))
        #expect(try text(Date(timeIntervalSince1970: 1_705_332_600), seconds) == "1705332600.0")
        var milliseconds = JSONValueEncoder()
        milliseconds.dateEncodingStrategy = .millisecondsSince1970
        #expect(try milliseconds.encode(Date(timeIntervalSince1970: 1.5)) == .double(1500))
        let outOfRange = error { _ = try encoder.encode(["when": Date(timeIntervalSince1970: 1e15)]) }
        #expect(outOfRange?.code == .invalidArgument)
        #expect(outOfRange?.message.contains("'when'") == true)
        #expect(outOfRange?.message.contains("9999") == true)
    }

    @Test("data: Base64 by default, or an array of bytes")
    func data() throws {
        #expect(try encoder.encode(Data("hello".utf8)) == "aGVsbG8=")
        #expect(try encoder.encode(Data()) == "")
        var bytes = JSONValueEncoder()
        bytes.dataEncodingStrategy = .byteArray
        #expect(try bytes.encode(Data([0, 127, 255])) == [0, 127, 255])
    }

    @Test("URLs as absolute strings; decimals as numbers")
    func urlsAndDecimals() throws {
        let relative = URL(string: "b/c", relativeTo: URL(string: "https://example.com/a/"))!
        #expect(try encoder.encode(relative) == "https://example.com/a/b/c")
        #expect(try encoder.encode(URL(fileURLWithPath: "/tmp/x y")) == "file:///tmp/x%20y")
        #expect(try encoder.encode(Decimal(string: "0.1")!) == .double(0.1))
        #expect(try encoder.encode(Decimal(42)) == .int(42))
        #expect(try encoder.encode(Decimal(string: "-123456789012345678")!) == .int(-123_456_789_012_345_678))
        #expect(try encoder.encode(Decimal(string: "123456789012345678901234567890")!) == .double(1.2345678901234568e29))
    }

    @Test("floats keep their shortest digits")
    func floats() throws {
        #expect(try text([Float(0.1), 1.5, 3, 1e-7, 3.4028235e38, -0.0] as [Float]) == "[0.1,1.5,3.0,1e-7,3.4028235e+38,-0.0]")
        #expect(try text(Float16Wrapper(value: 0.5)) == #"{"value":0.5}"#)
    }

    struct Float16Wrapper: Encodable {
        var value: Float
    }

    @Test("NaN and infinities: an error naming the path by default, or null")
    func nonFinite() throws {
        struct Metrics: Encodable { var loss: Double; var accuracy: Float; var history: [Double] }
        let metrics = Metrics(loss: .nan, accuracy: .infinity, history: [1, -.infinity])
        var lenient = JSONValueEncoder()
        lenient.nonFiniteFloatEncodingStrategy = .null
        #expect(try text(metrics, lenient) == #"{"loss":null,"accuracy":null,"history":[1.0,null]}"#)
        let strict = JSONValueEncoder()
        let failure = error { _ = try strict.encode(metrics) }
        #expect(failure?.code == .invalidArgument)
        #expect(failure?.message.contains("'loss'") == true)
        let nested = error { _ = try strict.encode(["runs": [Metrics(loss: 1, accuracy: 1, history: [0, .nan])]]) }
        #expect(nested?.message.contains("'runs[0].history[1]'") == true)
        #expect(error { _ = try strict.encode(Double.nan) }?.message.contains("the top level") == true)
    }

    @Test("unsigned integers above Int64.max: an error by default, or a double")
    func largeUnsigned() throws {
        struct Hash: Encodable { var value: UInt64 }
        #expect(try encoder.encode(UInt64(Int64.max)) == .int(.max))
        let failure = error { _ = try encoder.encode(Hash(value: .max)) }
        #expect(failure?.code == .invalidArgument)
        #expect(failure?.message.contains("'value'") == true)
        #expect(failure?.message.contains("18446744073709551615") == true)
        #expect(error { _ = try encoder.encode([UInt.max]) }?.message.contains("[0]") == true)
        var lossy = JSONValueEncoder()
        lossy.largeUnsignedIntegerEncodingStrategy = .double
        #expect(try lossy.encode(Hash(value: .max)) == ["value": .double(18_446_744_073_709_551_615.0)])
    }

    @Test("dictionaries: string, integer and CodingKeyRepresentable keys; sorted unless asked not to")
    func dictionaries() throws {
        let words = ["pear": 3, "apple": 1, "fig": 2, "Banana": 4, "é": 5]
        var unsorting = JSONValueEncoder()
        unsorting.sortsDictionaryKeys = false
        let unsorted = try unsorting.encode(words)
        #expect(unsorted.objectValue?.hasSameMembers(as: ["pear": 3, "apple": 1, "fig": 2, "Banana": 4, "é": 5]) == true)
        #expect(unsorted.objectValue?.keys == Array(words.keys))
        // The default: the same bytes on every run, whatever the dictionary's order.
        #expect(try text(words) == #"{"Banana":4,"apple":1,"fig":2,"pear":3,"é":5}"#)
        let sorting = JSONValueEncoder()
        #expect(try text(words, sorting) == #"{"Banana":4,"apple":1,"fig":2,"pear":3,"é":5}"#)
        #expect(try text([10: "ten", 9: "nine", -1: "minus one", 100: "hundred"], sorting) == #"{"-1":"minus one","9":"nine","10":"ten","100":"hundred"}"#)
        #expect(try text([Color.red: 1], sorting) == #"{"red":1}"#)
        #expect(try text([Color.green: [1: true]], sorting) == #"{"green":{"1":true}}"#)
        // Keys that are neither strings nor integers: an array of alternating keys and values.
        #expect(try text([Level.low: "x"]) == #"[1,"x"]"#)
        // Struct fields are never sorted.
        #expect(try text(FieldOrder(), sorting) == #"{"zeta":1,"alpha":2,"mu":3,"beta":4}"#)
    }

    @Test("snake_case keys for properties, not for dictionary keys or JSON values")
    func snakeCase() throws {
        struct Keys: Encodable {
            var learningRate = 1
            var myURLProperty = 2
            var layer2Size = 3
            var _private = 4
            var trailing_ = 5
            var already_snake = 6
            var x = 7
            var HTTPStatus = 8
            var userID = 9
            var mapping = ["camelCase": 1]
            var json: JSONValue = ["innerKey": 1]
        }
        var snake = JSONValueEncoder()
        snake.keyEncodingStrategy = .convertToSnakeCase
        #expect(try snake.encode(Keys()).objectValue?.keys == [
            "learning_rate", "my_url_property", "layer2_size", "_private", "trailing_", "already_snake", "x",
            "http_status", "user_id", "mapping", "json",
        ])
        let value = try snake.encode(Keys())
        #expect(value["mapping"] == ["camelCase": 1])
        #expect(value["json"] == ["innerKey": 1])
        #expect(try text(RunConfig.Small(startedAt: 1), snake) == #"{"started_at":1}"#)
    }

    @Test("class inheritance through superEncoder")
    func superEncoder() throws {
        #expect(try text(Dog(name: "Rex", breed: "collie")) == #"{"breed":"collie","super":{"name":"Rex"}}"#)
        struct SuperByKey: Encodable {
            enum Keys: String, CodingKey { case base, after }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                let base = container.superEncoder(forKey: .base)
                try container.encode(1, forKey: .after)
                var inner = base.container(keyedBy: Keys.self)
                try inner.encode(2, forKey: .after)
                var list = encoder.container(keyedBy: Keys.self)
                try list.encode(3, forKey: .base)
            }
        }
        // The key keeps its first position even when reassigned.
        #expect(try text(SuperByKey()) == #"{"base":3,"after":1}"#)
        struct UnkeyedSuper: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.unkeyedContainer()
                try container.encode(1)
                let sup = container.superEncoder()
                try container.encode(3)
                var single = sup.singleValueContainer()
                try single.encode("two")
            }
        }
        #expect(try text(UnkeyedSuper()) == #"[1,"two",3]"#)
        struct EmptySuper: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.unkeyedContainer()
                _ = container.superEncoder()
            }
        }
        #expect(try text(EmptySuper()) == "[{}]")
    }

    @Test("nested containers handed out earlier still receive values")
    func nestedContainers() throws {
        #expect(try text(Manual(x: 1, y: 2, items: ["a", "b"])) == #"{"position":{"x":1,"y":2},"items":[["a"],["b"]],"extra":{"x":null}}"#)
    }

    @Test("a key encoded twice keeps its first position and takes the last value")
    func repeatedKey() throws {
        struct Twice: Encodable {
            enum Keys: String, CodingKey { case a, b }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(1, forKey: .a)
                try container.encode(2, forKey: .b)
                try container.encode("again", forKey: .a)
                var same = encoder.container(keyedBy: Keys.self)
                try same.encode(true, forKey: .b)
            }
        }
        #expect(try text(Twice()) == #"{"a":"again","b":true}"#)
    }

    @Test("misusing the Encoder protocol is an error, not a crash")
    func misuse() throws {
        struct TwoSingles: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(1)
                try container.encode(2)
            }
        }
        #expect(error { _ = try encoder.encode(["x": TwoSingles()]) }?.message.contains("'x'") == true)
        struct KeyedAfterSingle: Encodable {
            enum Keys: CodingKey { case a }
            func encode(to encoder: any Encoder) throws {
                var single = encoder.singleValueContainer()
                try single.encode(1)
                var keyed = encoder.container(keyedBy: Keys.self)
                try keyed.encode(2, forKey: .a)
            }
        }
        #expect(error { _ = try encoder.encode([KeyedAfterSingle()]) }?.message.contains("[0]") == true)
        struct UnkeyedAfterKeyed: Encodable {
            enum Keys: CodingKey { case a }
            func encode(to encoder: any Encoder) throws {
                var keyed = encoder.container(keyedBy: Keys.self)
                try keyed.encode(2, forKey: .a)
                var unkeyed = encoder.unkeyedContainer()
                try unkeyed.encode(1)
            }
        }
        #expect(error { _ = try encoder.encode(UnkeyedAfterKeyed()) }?.code == .invalidArgument)
    }

    @Test("errors thrown by encode(to:) become DataFolioErrors with the path")
    func userErrors() throws {
        struct Refuses: Encodable {
            func encode(to encoder: any Encoder) throws {
                throw EncodingError.invalidValue(0, EncodingError.Context(codingPath: encoder.codingPath, debugDescription: "not today"))
            }
        }
        struct Custom: Error {}
        struct Throws: Encodable {
            func encode(to encoder: any Encoder) throws { throw Custom() }
        }
        let failure = error { _ = try encoder.encode(["a": [Refuses()]]) }
        #expect(failure?.code == .invalidArgument)
        #expect(failure?.message.contains("'a[0]'") == true)
        #expect(failure?.message.contains("not today") == true)
        #expect(error { _ = try encoder.encode(Throws()) }?.message.contains("Custom") == true)
    }

    @Test("coding paths seen by encode(to:)")
    func codingPaths() throws {
        final class Recorder: Encodable, @unchecked Sendable {
            var paths = [String]()
            struct Probe: Encodable {
                let recorder: Recorder
                func encode(to encoder: any Encoder) throws {
                    recorder.paths.append(encoder.codingPath.map(\.stringValue).joined(separator: "/"))
                }
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: JSONCodingKeyForTests.self)
                try container.encode(Probe(recorder: self), forKey: .init(stringValue: "a"))
                var list = container.nestedUnkeyedContainer(forKey: .init(stringValue: "list"))
                try list.encode(Probe(recorder: self))
                try list.encode(Probe(recorder: self))
            }
        }
        let recorder = Recorder()
        _ = try encoder.encode(["root": recorder])
        #expect(recorder.paths == ["root/a", "root/list/Index 0", "root/list/Index 1"])
    }

    @Test("userInfo reaches encode(to:)")
    func userInfo() throws {
        let key = CodingUserInfoKey(rawValue: "units")!
        struct UsesInfo: Encodable {
            let key: CodingUserInfoKey
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(encoder.userInfo[key] as? String ?? "none")
            }
        }
        var withInfo = JSONValueEncoder()
        withInfo.userInfo[key] = "metric"
        #expect(try withInfo.encode(UsesInfo(key: key)) == "metric")
        #expect(try encoder.encode(UsesInfo(key: key)) == "none")
    }

    @Test("a cyclic object graph is refused with limitExceeded instead of crashing")
    func cycles() {
        let node = Node()
        node.next = node
        let failure = error { _ = try encoder.encode(node) }
        #expect(failure?.code == .limitExceeded)
        node.next = nil
    }
}

extension RunConfig {
    struct Small: Encodable { var startedAt: Int }
}

struct JSONCodingKeyForTests: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
