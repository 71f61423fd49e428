import DataFolioJSON
import DataFolioTestSupport
import Foundation
import Testing

@Suite("Codable output matches Python")
struct CodableInteropTests {
    struct Optimizer: Codable { var kind: String; var momentum: Float; var betas: [Double] }
    struct Config: Codable {
        var name: String
        var learningRate: Double
        var epochs: Int
        var layers: [Int]
        var optimizer: Optimizer
        var tags: [String: String]
        var schedule: [Optimizer]
        var startedAt: Date
        var enabled: Bool
        var extra: JSONValue
    }

    @Test("a struct encodes like dataclasses.asdict written by orjson", .interop)
    func dataclassLayout() throws {
        let config = Config(
            name: "baseline é", learningRate: 3e-4, epochs: 10, layers: [64, 32], optimizer: Optimizer(kind: "adam", momentum: 0.9, betas: [0.9, 0.999]),
            tags: ["team": "vision"], schedule: [], startedAt: Date(timeIntervalSince1970: 1_705_314_600.123456), enabled: true,
            extra: ["note": nil, "ratio": 1.0])
        var encoder = JSONValueEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let swift = try encoder.encode(config).formatted()
        let script = """
        import dataclasses, datetime, orjson, sys
        @dataclasses.dataclass
        class Optimizer:
            kind: str
            momentum: float
            betas: list
        @dataclasses.dataclass
        class Config:
            name: str
            learning_rate: float
            epochs: int
            layers: list
            optimizer: Optimizer
            tags: dict
            schedule: list
            started_at: str
            enabled: bool
            extra: dict
        started = datetime.datetime(2024, 1, 15, 10, 30, 0, 123456, tzinfo=datetime.timezone.utc).isoformat()
        config = Config("baseline é", 3e-4, 10, [64, 32], Optimizer("adam", 0.9, [0.9, 0.999]), {"team": "vision"}, [], started, True, {"note": None, "ratio": 1.0})
        sys.stdout.write(orjson.dumps(dataclasses.asdict(config), option=orjson.OPT_INDENT_2).decode())
        """
        let python = try InteropPython.run(script).stdout
        #expect(swift == python)
    }

    @Test("timestamps: Swift's text is Python's isoformat, and each reads the other's", .interop)
    func timestamps() throws {
        var generator = SeededGenerator(seed: 17)
        // Microseconds since 1970 within about 50 years of 2001, where a Date holds
        // every microsecond exactly enough to round back to it.
        var micros: [Int64] = [0, 1, -1, 999_999, 1_000_000, 1_705_314_600_123_456, 951_782_400_000_000]
        for _ in 0..<2000 {
            micros.append(Int64.random(in: -500_000_000_000_000...2_500_000_000_000_000, using: &generator))
        }
        for _ in 0..<200 {
            micros.append(Int64.random(in: 0...2_000_000_000, using: &generator) * 1_000_000)
        }
        let script = """
        import datetime, sys
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        out = []
        with open(sys.argv[1]) as f:
            for line in f:
                micros, text = line.split()
                expected = (epoch + datetime.timedelta(microseconds=int(micros))).isoformat()
                parsed = datetime.datetime.fromisoformat(text)
                out.append(expected + ' ' + str((parsed - epoch) // datetime.timedelta(microseconds=1)))
        print('\\n'.join(out))
        """
        var lines = [String]()
        for value in micros {
            let date = Date(timeIntervalSince1970: Double(value) / 1_000_000)
            lines.append("\(value) \(try ISO8601Timestamp.string(from: date))")
        }
        let output = try PythonJSON.run(script, lines: lines)
        try #require(output.count == micros.count)
        for ((value, line), result) in zip(zip(micros, lines), output) {
            let parts = result.split(separator: " ").map(String.init)
            try #require(parts.count == 2)
            let swiftText = String(line.split(separator: " ")[1])
            #expect(swiftText == parts[0])
            #expect(parts[1] == String(value))
            // Python's text read by Swift lands on the same microsecond.
            let reread = try ISO8601Timestamp.date(from: parts[0])
            #expect(try ISO8601Timestamp.string(from: reread) == parts[0])
        }
    }
}
