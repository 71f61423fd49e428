import DataFolioJSON
import Foundation

/// Types used by the Codable tests.
struct RunConfig: Codable, Equatable {
    var name: String
    var learningRate: Double
    var epochs: Int
    var layers: [Int]
    var dropout: Double?
    var optimizer: Optimizer
    var schedule: Schedule
    var tags: [String: String]
    var startedAt: Date
    var notes: String?
}

struct Optimizer: Codable, Equatable {
    var kind: String
    var momentum: Float
    var betas: [Double]
}

enum Schedule: Codable, Equatable {
    case constant
    case step(every: Int, factor: Double)
    case cosine(Int)
}

enum Activation: String, Codable, CaseIterable {
    case relu, gelu, tanh
}

enum Level: Int, Codable {
    case low = 1, high = 10
}

enum Color: String, Codable, CodingKeyRepresentable {
    case red, green
}

struct FieldOrder: Codable, Equatable {
    var zeta = 1
    var alpha = 2
    var mu = 3
    var beta = 4
}

struct Everything: Codable, Equatable {
    var bool = true
    var string = "text"
    var int = -1
    var int8: Int8 = -8
    var int16: Int16 = -16
    var int32: Int32 = -32
    var int64: Int64 = .min
    var uint: UInt = 1
    var uint8: UInt8 = 255
    var uint16: UInt16 = 16
    var uint32: UInt32 = .max
    var uint64: UInt64 = UInt64(Int64.max)
    var float: Float = 0.1
    var double = 0.1
    var date = Date(timeIntervalSince1970: 1_705_314_600.123456)
    var data = Data([0, 1, 2, 255])
    var url = URL(string: "https://example.com/a?b=c")!
    var decimal = Decimal(string: "12.345")!
    var optionalPresent: Int? = 5
    var optionalAbsent: Int? = nil
    var array = [1, 2, 3]
    var nestedArray = [[1], [], [2, 3]]
    var dictionary = ["b": 2]
    var intKeys = [3: "three"]
    var activation = Activation.gelu
    var level = Level.high
    var json: JSONValue = ["z": 1, "a": [true, nil]]
}

/// Encodes `nil` explicitly, so the key is present with null.
struct ExplicitNull: Codable, Equatable {
    var value: Int?

    enum CodingKeys: String, CodingKey { case value }

    init(value: Int?) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decode(Int?.self, forKey: .value)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
    }
}

class Animal: Codable {
    var name: String

    init(name: String) { self.name = name }

    enum CodingKeys: String, CodingKey { case name }
}

final class Dog: Animal {
    var breed: String

    init(name: String, breed: String) {
        self.breed = breed
        super.init(name: name)
    }

    enum DogKeys: String, CodingKey { case breed }

    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: DogKeys.self)
        breed = try container.decode(String.self, forKey: .breed)
        try super.init(from: container.superDecoder())
    }

    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DogKeys.self)
        try container.encode(breed, forKey: .breed)
        try super.encode(to: container.superEncoder())
    }
}

/// A linked node that can be made cyclic.
final class Node: Encodable {
    var next: Node?
    init() {}
}

/// Uses nested containers by hand.
struct Manual: Codable, Equatable {
    var x: Int
    var y: Int
    var items: [String]

    enum Keys: String, CodingKey { case position, items, extra }
    enum PositionKeys: String, CodingKey { case x, y }

    init(x: Int, y: Int, items: [String]) {
        self.x = x
        self.y = y
        self.items = items
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let position = try container.nestedContainer(keyedBy: PositionKeys.self, forKey: .position)
        x = try position.decode(Int.self, forKey: .x)
        y = try position.decode(Int.self, forKey: .y)
        var list = try container.nestedUnkeyedContainer(forKey: .items)
        var items = [String]()
        while !list.isAtEnd {
            var inner = try list.nestedUnkeyedContainer()
            items.append(try inner.decode(String.self))
        }
        self.items = items
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        var position = container.nestedContainer(keyedBy: PositionKeys.self, forKey: .position)
        try position.encode(x, forKey: .x)
        var list = container.nestedUnkeyedContainer(forKey: .items)
        for item in items {
            var inner = list.nestedUnkeyedContainer()
            try inner.encode(item)
        }
        // Written after the nested container was handed out: still lands inside it.
        try position.encode(y, forKey: .y)
        var extra = container.nestedContainer(keyedBy: PositionKeys.self, forKey: .extra)
        try extra.encodeNil(forKey: .x)
    }
}
