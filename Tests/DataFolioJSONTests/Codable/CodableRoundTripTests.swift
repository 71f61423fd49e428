import DataFolioJSON
import Foundation
import Testing

@Suite("Codable round trips")
struct CodableRoundTripTests {
    static let config = RunConfig(
        name: "baseline ✓", learningRate: 3e-4, epochs: 100, layers: [512, 256, 10], dropout: 0.1,
        optimizer: Optimizer(kind: "adamw", momentum: 0.95, betas: [0.9, 0.999]),
        schedule: .cosine(50), tags: ["team": "vision", "owner": "ada"],
        startedAt: ISO8601TimestampTests.date("2024-01-15T10:30:00.123456+00:00"), notes: nil)

    /// Encodes, writes the text, parses it and decodes it again.
    func throughText<T: Codable>(_ value: T, encoder: JSONValueEncoder = .init(), decoder: JSONValueDecoder = .init()) throws -> T {
        let bytes = try encoder.encode(value).formattedBytes()
        return try JSONValue(parsing: bytes).decode(as: T.self, using: decoder)
    }

    @Test("a struct with optionals, nested structs, enums, dates and dictionaries")
    func runConfig() throws {
        #expect(try throughText(Self.config) == Self.config)
        var snakeEncoder = JSONValueEncoder()
        snakeEncoder.keyEncodingStrategy = .convertToSnakeCase
        var snakeDecoder = JSONValueDecoder()
        snakeDecoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try throughText(Self.config, encoder: snakeEncoder, decoder: snakeDecoder) == Self.config)
        var numeric = JSONValueEncoder()
        numeric.dateEncodingStrategy = .secondsSince1970
        var numericDecoder = JSONValueDecoder()
        numericDecoder.dateDecodingStrategy = .secondsSince1970
        #expect(try throughText(Self.config, encoder: numeric, decoder: numericDecoder) == Self.config)
    }

    @Test("arrays of structs and every enum shape")
    func collections() throws {
        let configs = (0..<50).map { i in
            var config = Self.config
            config.epochs = i
            config.dropout = i.isMultiple(of: 2) ? nil : Double(i) / 100
            config.schedule = [.constant, .step(every: i, factor: 0.5), .cosine(i)][i % 3]
            config.notes = i.isMultiple(of: 5) ? "note \(i)" : nil
            return config
        }
        #expect(try throughText(configs) == configs)
        #expect(try throughText(Activation.allCases) == Activation.allCases)
        #expect(try throughText([Level.low, .high]) == [.low, .high])
        #expect(try throughText([Color.red: [1, 2], .green: []]) == [.red: [1, 2], .green: []])
    }

    @Test("every scalar type at its limits")
    func limits() throws {
        #expect(try throughText(Everything()) == JSONValueDecoder().decode(Everything.self, from: JSONValueEncoder().encode(Everything())))
        #expect(try throughText([Int64.min, Int64.max, 0]) == [Int64.min, .max, 0])
        #expect(try throughText([UInt64.min, UInt64(Int64.max)]) == [0, UInt64(Int64.max)])
        #expect(try throughText([Double.greatestFiniteMagnitude, .leastNonzeroMagnitude, -0.0, 0.1, 1e16, 1e-7]) == [.greatestFiniteMagnitude, .leastNonzeroMagnitude, -0.0, 0.1, 1e16, 1e-7])
        #expect(try throughText([Float.greatestFiniteMagnitude, .leastNonzeroMagnitude, 0.1, 16_777_218]) == [.greatestFiniteMagnitude, .leastNonzeroMagnitude, 0.1, 16_777_218])
        #expect(try throughText(["", "é", "😀", "\u{0}", "\u{2028}", "e\u{301}"]) == ["", "é", "😀", "\u{0}", "\u{2028}", "e\u{301}"])
    }

    @Test("random doubles and floats survive the text exactly")
    func randomNumbers() throws {
        var generator = SeededGenerator(seed: 8)
        let doubles = (0..<5000).map { _ in Double(bitPattern: generator.next()) }.filter(\.isFinite)
        let decoded = try throughText(doubles)
        #expect(decoded.map(\.bitPattern) == doubles.map(\.bitPattern))
        let floats = (0..<5000).map { _ in Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator)) }.filter(\.isFinite)
        #expect(try throughText(floats).map(\.bitPattern) == floats.map(\.bitPattern))
    }

    @Test("dates rounded to the microsecond are stable after one trip")
    func dates() throws {
        var generator = SeededGenerator(seed: 2)
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double.random(in: -2e9...4e9, using: &generator))
            let once = try throughText(date)
            #expect(abs(once.timeIntervalSince1970 - date.timeIntervalSince1970) <= 0.5e-6 + 1e-7)
            #expect(try throughText(once) == once)
            #expect(try JSONValueEncoder().encode(once) == JSONValueEncoder().encode(date))
        }
    }

    @Test("JSONValue works with Foundation's JSONEncoder and JSONDecoder too")
    func foreignCoders() throws {
        let value: JSONValue = ["a": [1, 2.5, "x", nil, true], "b": ["c": [:]], "d": []]
        let data = try JSONEncoder().encode(value)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(decoded.objectValue?.hasSameMembers(as: value.objectValue ?? [:]) == true)
        #expect(decoded["a"] == [1, 2.5, "x", nil, true])
        struct Holder: Codable { var json: JSONValue; var object: JSONObject }
        let holder = try JSONDecoder().decode(Holder.self, from: Data(#"{"json": [1, {"k": "v"}], "object": {"x": 1.5}}"#.utf8))
        #expect(holder.json == [1, ["k": "v"]])
        #expect(holder.object == ["x": 1.5])
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data("1.5".utf8)) == 1.5)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data("null".utf8)) == nil)
    }

    @Test("JSONValue inside a struct round-trips with its key order")
    func jsonInside() throws {
        struct Holder: Codable, Equatable { var meta: JSONValue; var object: JSONObject }
        let holder = Holder(meta: ["z": 1, "a": [["y": nil, "b": 2.0]]], object: ["k2": "v", "k1": []])
        let decoded = try throughText(holder)
        #expect(decoded == holder)
        #expect(decoded.meta.objectValue?.keys == ["z", "a"])
    }
}
