import DataFolioJSON
import DataFolioSupport
import Foundation
import Testing

@Suite("JSONValueDecoder")
struct JSONValueDecoderTests {
    let decoder = JSONValueDecoder()

    func decode<T: Decodable>(_ type: T.Type, _ text: String, _ decoder: JSONValueDecoder = JSONValueDecoder()) throws -> T {
        try decoder.decode(T.self, from: JSONValue(parsing: text))
    }

    /// The message of the error decoding `text` as `type` throws.
    func failure<T: Decodable>(_ type: T.Type, _ text: String, _ decoder: JSONValueDecoder = JSONValueDecoder()) -> String? {
        do {
            let value = try decoder.decode(T.self, from: JSONValue(parsing: text))
            Issue.record("decoded \(value)")
            return nil
        } catch {
            #expect(error.code == .typeMismatch)
            return error.message
        }
    }

    @Test("every supported type, from what the encoder writes")
    func everything() throws {
        let value = try JSONValueEncoder().encode(Everything())
        let decoded = try decoder.decode(Everything.self, from: value)
        var expected = Everything()
        expected.date = try decode(Date.self, #""2024-01-15T10:30:00.123456+00:00""#)
        #expect(decoded == expected)
        #expect(abs(decoded.date.timeIntervalSince1970 - 1_705_314_600.123456) < 1e-6)
    }

    @Test("integers: range checks")
    func integerRanges() throws {
        #expect(try decode(Int8.self, "127") == 127)
        #expect(try decode(Int8.self, "-128") == -128)
        #expect(failure(Int8.self, "128")?.contains("outside its range -128...127") == true)
        #expect(failure(UInt8.self, "-1") != nil)
        #expect(failure(UInt.self, "-1") != nil)
        #expect(try decode(UInt32.self, "4294967295") == .max)
        #expect(failure(UInt32.self, "4294967296") != nil)
        #expect(try decode(Int64.self, "-9223372036854775808") == .min)
        #expect(try decode(UInt64.self, "9223372036854775807") == UInt64(Int64.max))
        #expect(try decode(UInt64.self, "18446744073709549568") == 18_446_744_073_709_549_568)
        #expect(failure(Int64.self, "9223372036854775808")?.contains("outside its range") == true)
        #expect(failure(Int.self, "1e300")?.contains("outside its range") == true)
    }

    @Test("doubles convert to integers only when exact")
    func doublesToIntegers() throws {
        #expect(try decode(Int.self, "3.0") == 3)
        #expect(try decode(Int.self, "-0.0") == 0)
        #expect(try decode(Int.self, "1e3") == 1000)
        #expect(failure(Int.self, "3.5")?.contains("3.5 is not an integer") == true)
        #expect(failure(Int.self, "NaN") != nil)
        #expect(failure(Int.self, "Infinity") != nil)
        #expect(failure(UInt8.self, "256.0")?.contains("outside its range") == true)
    }

    @Test("integers convert to floating point")
    func integersToDoubles() throws {
        #expect(try decode(Double.self, "3") == 3.0)
        #expect(try decode(Float.self, "3") == 3.0)
        #expect(try decode(Double.self, "9007199254740993") == 9_007_199_254_740_992.0)
        #expect(try decode(Float.self, "0.1") == Float(0.1))
        #expect(try decode(Float.self, "1e-50") == 0)
        #expect(failure(Float.self, "1e39")?.contains("outside Float's range") == true)
        #expect(try decode(Float.self, "Infinity") == .infinity)
        #expect(try decode(Double.self, "NaN").isNaN)
        #expect(try decode(Double.self, "-Infinity") == -.infinity)
    }

    @Test("null reads as NaN only when asked")
    func nullAsNaN() throws {
        struct Metrics: Decodable { var loss: Double; var accuracy: Float; var best: Double? }
        #expect(failure(Metrics.self, #"{"loss": null, "accuracy": 1}"#)?.contains("'loss'") == true)
        var lenient = JSONValueDecoder()
        lenient.decodesNullAsNaN = true
        let metrics = try decode(Metrics.self, #"{"loss": null, "accuracy": null, "best": null}"#, lenient)
        #expect(metrics.loss.isNaN)
        #expect(metrics.accuracy.isNaN)
        #expect(metrics.best == nil)
    }

    @Test("booleans and strings do not convert")
    func noLooseConversions() {
        #expect(failure(Bool.self, "1") == "Cannot decode Bool at the top level: found an integer (1).")
        #expect(failure(Bool.self, #""true""#) != nil)
        #expect(failure(String.self, "1") != nil)
        #expect(failure(Int.self, #""1""#) != nil)
        #expect(failure(Double.self, "true") != nil)
        #expect(failure([Int].self, "{}")?.contains("an array") == true)
        #expect(failure([String: Int].self, "[]")?.contains("an object") == true)
    }

    @Test("errors name the coding path")
    func paths() {
        struct Run: Decodable { var epochs: Int }
        struct Experiment: Decodable { var runs: [Run] }
        #expect(failure(Experiment.self, #"{"runs": [{"epochs": 1}, {"epochs": 2}, {"epochs": "ten"}]}"#)
            == #"Cannot decode Int at 'runs[2].epochs': found a string ("ten")."#)
        #expect(failure(Experiment.self, #"{"runs": [{"epochs": 1}, {}]}"#)
            == "Cannot decode Int at 'runs[1].epochs': the object has no key 'epochs'.")
        #expect(failure(Experiment.self, #"{"runs": {}}"#)?.contains("at 'runs'") == true)
        #expect(failure(Experiment.self, "[]")?.contains("the top level") == true)
        #expect(failure([String: [Int]].self, #"{"a": [1], "b": [2, null]}"#)?.contains("'b[1]'") == true)
    }

    @Test("optionals: missing and null read as nil; wrong types still fail")
    func optionals() throws {
        struct Maybe: Decodable { var a: Int?; var b: String?; var c: [Int]? }
        let empty = try decode(Maybe.self, "{}")
        #expect(empty.a == nil && empty.b == nil && empty.c == nil)
        let nulls = try decode(Maybe.self, #"{"a": null, "b": null, "c": null}"#)
        #expect(nulls.a == nil && nulls.c == nil)
        let present = try decode(Maybe.self, #"{"a": 1, "b": "x", "c": [2]}"#)
        #expect(present.a == 1 && present.b == "x" && present.c == [2])
        #expect(failure(Maybe.self, #"{"a": "one"}"#)?.contains("'a'") == true)
        #expect(try decode([Int?].self, "[1, null]") == [1, nil])
        #expect(try decode(ExplicitNull.self, #"{"value": null}"#) == ExplicitNull(value: nil))
        #expect(failure(ExplicitNull.self, "{}")?.contains("no key 'value'") == true)
    }

    @Test("dates from ISO 8601 text in every common spelling")
    func isoDates() throws {
        let reference = 1_705_314_600.0
        let cases: [(String, Double)] = [
            ("2024-01-15T10:30:00+00:00", reference),
            ("2024-01-15T10:30:00Z", reference),
            ("2024-01-15T10:30:00z", reference),
            ("2024-01-15T10:30:00", reference),
            ("2024-01-15 10:30:00+00:00", reference),
            ("2024-01-15t10:30:00+00:00", reference),
            ("2024-01-15T10:30+00:00", reference),
            ("2024-01-15T12:30:00+02:00", reference),
            ("2024-01-15T05:00:00-05:30", reference),
            ("2024-01-15T12:30:00+0200", reference),
            ("2024-01-15T12:30:00+02", reference),
            ("2024-01-15T10:30:00.5Z", reference + 0.5),
            ("2024-01-15T10:30:00,5Z", reference + 0.5),
            ("2024-01-15T10:30:00.123+00:00", reference + 0.123),
            ("2024-01-15T10:30:00.123456+00:00", reference + 0.123456),
            ("2024-01-15T10:30:00.123456789Z", reference + 0.123456789),
            ("2024-01-15T10:30:00.1234567890123Z", reference + 0.123456789),
            ("2024-01-15", 1_705_276_800),
            ("1970-01-01T00:00:00+00:00", 0),
            ("1969-12-31T23:59:59.999999+00:00", -0.000001),
            ("2000-02-29T00:00:00Z", 951_782_400),
            ("0001-01-01T00:00:00+00:00", -62_135_596_800),
            ("9999-12-31T23:59:59+00:00", 253_402_300_799),
        ]
        for (text, seconds) in cases {
            let date = try decode(Date.self, "\"\(text)\"")
            #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6 * max(1, abs(seconds) / 1e9), "\(text)")
        }
    }

    @Test("malformed dates are refused with the path")
    func badDates() {
        for text in [
            "", "2024", "2024-1-15", "2024-01-15T", "2024-13-01", "2024-02-30", "2023-02-29", "2024-00-10", "2024-01-32",
            "2024-01-15T24:00:00", "2024-01-15T10:60:00", "2024-01-15T10:30:60", "2024-01-15T10:30:00.", "2024-01-15T10:30:00+25:00",
            "2024-01-15T10:30:00 +00:00", "2024-01-15T10:30:00Zjunk", "0000-01-01", "15/01/2024", "2024-01-15T10:30:00.123+00:00:00.5",
        ] {
            #expect(failure([String: Date].self, "{\"when\": \"\(text)\"}")?.contains("'when'") == true, "\(text)")
        }
        #expect(failure(Date.self, "1705314600")?.contains("ISO 8601") == true)
    }

    @Test("dates from numbers when asked")
    func numericDates() throws {
        var seconds = JSONValueDecoder()
        seconds.dateDecodingStrategy = .secondsSince1970
        #expect(try decode(Date.self, "1705314600.5", seconds).timeIntervalSince1970 == 1_705_314_600.5)
        #expect(try decode(Date.self, "0", seconds).timeIntervalSince1970 == 0)
        #expect(failure(Date.self, #""2024-01-15""#, seconds) != nil)
        #expect(failure(Date.self, "NaN", seconds) != nil)
        var milliseconds = JSONValueDecoder()
        milliseconds.dateDecodingStrategy = .millisecondsSince1970
        #expect(try decode(Date.self, "1500", milliseconds).timeIntervalSince1970 == 1.5)
    }

    @Test("data from Base64 or byte arrays")
    func data() throws {
        #expect(try decode(Data.self, #""aGVsbG8=""#) == Data("hello".utf8))
        #expect(try decode(Data.self, #""""#) == Data())
        #expect(failure(Data.self, #""not base64!""#)?.contains("Base64") == true)
        #expect(failure(Data.self, "[1, 2]") != nil)
        var bytes = JSONValueDecoder()
        bytes.dataDecodingStrategy = .byteArray
        #expect(try decode(Data.self, "[0, 255, 3.0]", bytes) == Data([0, 255, 3]))
        #expect(failure(Data.self, "[0, 256]", bytes)?.contains("[1]") == true)
    }

    @Test("URLs and decimals")
    func urlsAndDecimals() throws {
        #expect(try decode(URL.self, #""https://example.com/a?b=c""#) == URL(string: "https://example.com/a?b=c"))
        #expect(failure(URL.self, "1") != nil)
        #expect(try decode(Decimal.self, "0.1") == Decimal(string: "0.1"))
        #expect(try decode(Decimal.self, "12") == Decimal(12))
        #expect(try decode(Decimal.self, "1.5e-7") == Decimal(string: "0.00000015"))
        #expect(try decode(Decimal.self, "-9223372036854775808") == Decimal(Int64.min))
        #expect(failure(Decimal.self, #""0.1""#) != nil)
        #expect(failure(Decimal.self, "NaN") != nil)
    }

    @Test("dictionaries with string, integer and enum keys")
    func dictionaries() throws {
        #expect(try decode([String: Int].self, #"{"b": 2, "a": 1}"#) == ["a": 1, "b": 2])
        #expect(try decode([Int: String].self, #"{"3": "three", "-1": "minus"}"#) == [3: "three", -1: "minus"])
        #expect(failure([Int: String].self, #"{"three": "3"}"#)?.contains("not a valid Int") == true)
        #expect(try decode([Color: Int].self, #"{"red": 1}"#) == [.red: 1])
        #expect(failure([Color: Int].self, #"{"blue": 1}"#) != nil)
        #expect(try decode([Level: String].self, #"[1, "x", 10, "y"]"#) == [.low: "x", .high: "y"])
        #expect(try decode([String: Int].self, "{\"\u{E9}\": 1}") == ["\u{E9}": 1])
    }

    @Test("snake_case keys map to camelCase properties, dictionary keys stay as they are")
    func snakeCase() throws {
        struct Keys: Decodable, Equatable {
            var learningRate: Int
            var myURLProperty: Int
            var layer2Size: Int
            var userID: Int
            var _private: Int
            var plain: Int
            var mapping: [String: Int]
        }
        var snake = JSONValueDecoder()
        snake.keyDecodingStrategy = .convertFromSnakeCase
        let text = #"{"learning_rate": 1, "my_url_property": 2, "layer2_size": 3, "user_id": 4, "_private": 5, "plain": 6, "mapping": {"snake_key": 7}}"#
        #expect(try decode(Keys.self, text, snake) == Keys(learningRate: 1, myURLProperty: 2, layer2Size: 3, userID: 4, _private: 5, plain: 6, mapping: ["snake_key": 7]))
        // Keys already spelled like the property still match.
        let camel = #"{"learningRate": 1, "myURLProperty": 2, "layer2Size": 3, "userID": 4, "_private": 5, "plain": 6, "mapping": {}}"#
        #expect(try decode(Keys.self, camel, snake).learningRate == 1)
        #expect(failure(Keys.self, #"{"learning_rate": 1}"#, snake)?.contains("no key 'my_url_property'") == true)
        // Enums with associated values go through allKeys.
        var snakeEncoder = JSONValueEncoder()
        snakeEncoder.keyEncodingStrategy = .convertToSnakeCase
        let schedule = Schedule.step(every: 2, factor: 0.5)
        #expect(try snake.decode(Schedule.self, from: snakeEncoder.encode(schedule)) == schedule)
    }

    @Test("allKeys lists object keys in order")
    func allKeysInOrder() throws {
        struct KeyList: Decodable {
            var keys: [String]
            init(from decoder: any Decoder) throws {
                keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            }
        }
        #expect(try decode(KeyList.self, #"{"z": 1, "a": 2, "m": 3, "b_c": 4}"#).keys == ["z", "a", "m", "b_c"])
        var snake = JSONValueDecoder()
        snake.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decode(KeyList.self, #"{"z_y": 1, "_a_b_": 2, "m": 3}"#, snake).keys == ["zY", "_aB_", "m"])
    }

    @Test("class inheritance through superDecoder")
    func superDecoder() throws {
        let dog = try decode(Dog.self, #"{"breed": "collie", "super": {"name": "Rex"}}"#)
        #expect(dog.name == "Rex" && dog.breed == "collie")
        #expect(failure(Dog.self, #"{"breed": "collie"}"#)?.contains("'super'") == true)
    }

    @Test("nested containers")
    func nestedContainers() throws {
        let manual = try decode(Manual.self, #"{"position": {"x": 1, "y": 2}, "items": [["a"], ["b"]]}"#)
        #expect(manual == Manual(x: 1, y: 2, items: ["a", "b"]))
        #expect(failure(Manual.self, #"{"position": [], "items": []}"#)?.contains("'position'") == true)
        #expect(failure(Manual.self, #"{"position": {"x": 1, "y": 2}, "items": [1]}"#)?.contains("'items[0]'") == true)
    }

    @Test("unkeyed containers: retry after a mismatch, clear error at the end")
    func unkeyed() throws {
        struct Mixed: Decodable {
            var values: [String]
            init(from decoder: any Decoder) throws {
                var container = try decoder.unkeyedContainer()
                var values = [String]()
                #expect(container.count == 4)
                while !container.isAtEnd {
                    if try container.decodeNil() {
                        values.append("nil")
                    } else if let number = try? container.decode(Int.self) {
                        values.append("int \(number)")
                    } else {
                        values.append("string \(try container.decode(String.self))")
                    }
                }
                #expect(container.currentIndex == 4)
                do {
                    _ = try container.decode(Int.self)
                    Issue.record("read past the end")
                } catch let error as DataFolioError {
                    #expect(error.message.contains("[4]"))
                    #expect(error.message.contains("only 4 elements"))
                }
                self.values = values
            }
        }
        #expect(try decode(Mixed.self, #"[1, "a", null, 2]"#).values == ["int 1", "string a", "nil", "int 2"])
        #expect(failure([Int].self, "[1, 2.5]")?.contains("'[1]'") == true)
    }

    @Test("JSONValue and JSONObject inside types decode as they are")
    func jsonInside() throws {
        struct Holder: Codable, Equatable { var name: String; var extra: JSONValue; var object: JSONObject }
        let text = #"{"name": "x", "extra": {"z": [1, 2.0, null], "a": "b"}, "object": {"k2": 1, "k1": 2}}"#
        let holder = try decode(Holder.self, text)
        #expect(holder.extra == ["z": [1, 2.0, nil], "a": "b"])
        #expect(holder.extra.objectValue?.keys == ["z", "a"])
        #expect(holder.object.keys == ["k2", "k1"])
        #expect(failure(Holder.self, #"{"name": "x", "extra": 1, "object": []}"#)?.contains("'object'") == true)
        #expect(try JSONValue(parsing: text).decode(as: JSONValue.self) == JSONValue(parsing: text))
    }

    @Test("userInfo reaches init(from:)")
    func userInfo() throws {
        let key = CodingUserInfoKey(rawValue: "scale")!
        struct Scaled: Decodable {
            var value: Double
            init(from decoder: any Decoder) throws {
                let scale = decoder.userInfo[CodingUserInfoKey(rawValue: "scale")!] as? Double ?? 1
                value = try decoder.singleValueContainer().decode(Double.self) * scale
            }
        }
        var scaled = JSONValueDecoder()
        scaled.userInfo[key] = 10.0
        #expect(try decode(Scaled.self, "2", scaled).value == 20)
        #expect(try decode(Scaled.self, "2").value == 2)
    }

    @Test("errors thrown by init(from:) become DataFolioErrors")
    func userErrors() {
        struct Picky: Decodable {
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not picky enough")
            }
        }
        #expect(failure([String: Picky].self, #"{"p": 1}"#)?.contains("not picky enough") == true)
        #expect(failure([String: Picky].self, #"{"p": 1}"#)?.contains("'p'") == true)
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
