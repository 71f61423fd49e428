import DataFolioSupport
import DataFolioTable
import Foundation
import Testing

@Suite("Codable rows")
struct CodableRowsTests {
    enum Tier: String, Codable { case free, pro }
    enum Level: Int, Codable { case low = 1, high = 2 }

    struct Customer: Codable, Equatable {
        var id: Int
        var name: String
        var email: String?
        var joined: Date
        var tier: Tier
        var level: Level
        var score: Double
        var tags: [String]
        var ratio: Float?
        var small: Int8
        var big: UInt64
        var active: Bool
        var avatar: Data?
        var balance: Decimal
    }

    func customers() -> [Customer] {
        [
            Customer(
                id: 1, name: "Ada", email: "ada@example.com", joined: Date(timeIntervalSince1970: 1_700_000_000.25),
                tier: .pro, level: .high, score: 0.5, tags: ["a", "b"], ratio: 0.25, small: -8, big: UInt64.max,
                active: true, avatar: Data([1, 2, 3]), balance: Decimal(string: "12.50")!),
            Customer(
                id: 2, name: "Grace 🌟", email: nil, joined: Date(timeIntervalSince1970: 0),
                tier: .free, level: .low, score: -1e300, tags: [], ratio: nil, small: 127, big: 0,
                active: false, avatar: nil, balance: Decimal(string: "-0.125")!),
        ]
    }

    @Test func encodesColumnsInDeclarationOrderWithTypes() throws {
        let table = try Table(rows: customers())
        #expect(table.columnNames == [
            "id", "name", "email", "joined", "tier", "level", "score", "tags", "ratio", "small", "big", "active",
            "avatar", "balance",
        ])
        let types = Dictionary(uniqueKeysWithValues: table.schema.map { ($0.name, $0.type) })
        #expect(types["id"] == .int64)
        #expect(types["name"] == .string)
        #expect(types["email"] == .string)
        #expect(types["joined"] == .timestamp(.microsecond, timeZone: "UTC"))
        #expect(types["tier"] == .string)
        #expect(types["level"] == .int64)
        #expect(types["score"] == .float64)
        #expect(types["tags"] == .list(.string))
        #expect(types["ratio"] == .float32)
        #expect(types["small"] == .int8)
        #expect(types["big"] == .uint64)
        #expect(types["active"] == .bool)
        #expect(types["avatar"] == .binary)
        #expect(types["balance"] == .decimal(precision: 5, scale: 3))
        #expect(table["email"]?.strings() == ["ada@example.com", nil])
        #expect(table["joined"]?[0] == .timestamp(1_700_000_000_250_000, .microsecond, timeZone: "UTC"))
        #expect(table["balance"]?.strings() == ["12.500", "-0.125"])
        #expect(table["tags"]?.values == [["a", "b"], []])
        #expect(table["tier"]?.strings() == ["pro", "free"])
    }

    @Test func roundTrips() throws {
        let rows = customers()
        let table = try Table(rows: rows)
        let back = try table.rows(as: Customer.self)
        #expect(back == rows)
        #expect(try table.decodeRows(as: Customer.self) == rows)
    }

    struct Measurement: Codable, Equatable {
        var when: Date?
        var values: [Double?]
        var matrix: [[Int]]
        var raw: [UInt8]
        var link: URL?
    }

    @Test func roundTripsListsOptionalsAndFoundationTypes() throws {
        let rows = [
            Measurement(when: nil, values: [1, nil, 3], matrix: [[1, 2], [3]], raw: [0, 255], link: URL(string: "https://example.com/a?b=c")),
            Measurement(when: Date(timeIntervalSince1970: -86_400.5), values: [], matrix: [], raw: [], link: nil),
        ]
        let table = try Table(rows: rows)
        #expect(table["when"]?.type == .timestamp(.microsecond, timeZone: "UTC"))
        #expect(table["values"]?.type == .list(.float64))
        #expect(table["matrix"]?.type == .list(.list(.int64)))
        #expect(table["raw"]?.type == .binary)
        #expect(table["link"]?.type == .string)
        #expect(try table.rows(as: Measurement.self) == rows)
    }

    @Test func allNilFieldsBecomeNullColumns() throws {
        struct Row: Codable, Equatable { var a: Int; var b: String? }
        let table = try Table(rows: [Row(a: 1, b: nil), Row(a: 2, b: nil)])
        // A field skipped by encodeIfPresent in every row leaves no trace.
        #expect(table.columnNames == ["a"])
        #expect(try table.rows(as: Row.self) == [Row(a: 1, b: nil), Row(a: 2, b: nil)])

        struct Explicit: Encodable {
            var a: Int
            var b: String?
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(a, forKey: .a)
                try container.encode(b, forKey: .b)
            }
            enum CodingKeys: String, CodingKey { case a, b }
        }
        let explicit = try Table(rows: [Explicit(a: 1, b: nil)])
        #expect(explicit.columnNames == ["a", "b"])
        #expect(explicit["b"]?.nullCount == 1)
    }

    @Test func emptyRows() throws {
        let table = try Table(rows: [Customer]())
        #expect(table.rowCount == 0 && table.columns.isEmpty)
        #expect(try table.rows(as: Customer.self).isEmpty)
    }

    @Test func nestedValuesBecomeNestedColumns() throws {
        struct Address: Codable, Equatable { var city: String; var zip: String? }
        struct Visit: Codable, Equatable { var at: Int64; var tags: [String] }
        struct Person: Codable, Equatable {
            var name: String
            var address: Address?
            var visits: [Visit]
            var scores: [String: Double]
            var grid: [[Int32]]?
        }
        let people = [
            Person(
                name: "a", address: Address(city: "Lyon", zip: nil), visits: [Visit(at: 1, tags: ["x", "y"]), Visit(at: 2, tags: [])],
                scores: ["math": 1.5, "art": 2], grid: [[1, 2], []]),
            Person(name: "b", address: nil, visits: [], scores: [:], grid: nil),
            Person(name: "c", address: Address(city: "Oslo", zip: "0150"), visits: [Visit(at: 3, tags: ["z"])], scores: ["x": -1], grid: [[3]]),
        ]
        let table = try Table(rows: people)
        #expect(table["address"]?.type == .struct([.init("city", .string), .init("zip", .string)]))
        #expect(table["visits"]?.type == .list(.struct([.init("at", .int64), .init("tags", .list(.string))])))
        #expect(table["scores"]?.type == .map(key: .string, value: .float64))
        #expect(table["grid"]?.type == .list(.list(.int32)))
        // A nil struct is a null struct; a struct with a nil field is not.
        #expect(table["address"]?[1] == .null)
        #expect(table["address"]?[0] == .struct([("city", "Lyon"), ("zip", .null)]))
        // Dictionary entries are sorted by key, whatever the dictionary's order.
        #expect(table["scores"]?[0] == .map([("art", 2.0), ("math", 1.5)]))
        #expect(table["scores"]?[1] == .map([]))
        #expect(try table.rows(as: Person.self) == people)
        // Through Parquet and back.
        let back = try Table(parquetData: try table.parquetData())
        #expect(back == table)
        #expect(try back.rows(as: Person.self) == people)
    }

    @Test func nestedFieldsMergeAcrossRows() throws {
        // Rows may leave out optional fields; the struct type holds every field seen.
        struct Sparse: Encodable {
            var index: Int
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                var inner = container.nestedContainer(keyedBy: Key.self, forKey: .info)
                if index % 2 == 0 { try inner.encode(index, forKey: .even) } else { try inner.encode("odd", forKey: .odd) }
                var list = container.nestedUnkeyedContainer(forKey: .items)
                var entry = list.nestedContainer(keyedBy: Key.self)
                try entry.encode(index, forKey: .even)
            }
            enum Key: String, CodingKey { case info, items, even, odd }
        }
        let table = try Table(rows: (0..<3).map(Sparse.init))
        #expect(table["info"]?.type == .struct([.init("even", .int64), .init("odd", .string)]))
        #expect(table["info"]?[1] == .struct([("even", .null), ("odd", "odd")]))
        #expect(table["items"]?[2] == .list([.struct([("even", 2)])]))
    }

    @Test func nestedKindsMustAgree() {
        struct Loose: Encodable {
            var asMap: Bool
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                if asMap {
                    try container.encode(["a": 1], forKey: .value)
                } else {
                    try container.encode([1], forKey: .value)
                }
            }
            enum Key: String, CodingKey { case value }
        }
        do {
            _ = try Table(rows: [Loose(asMap: true), Loose(asMap: false)])
            Issue.record("a field that is a map in one row and a list in another was accepted")
        } catch {
            #expect(error.code == .typeMismatch)
            #expect(error.message.contains("'value'"))
        }
    }

    @Test func nestedValuesDecodeWithClearErrors() throws {
        struct Inner: Codable { var x: Int }
        struct Outer: Codable { var p: Inner }
        let table = try Table([
            try Column(name: "p", type: .struct([.init("x", .int64)]), values: [.struct([("x", 1)]), .null, .struct([("x", .null)])])
        ])
        do {
            _ = try table.rows(as: Outer.self)
            Issue.record("a null struct decoded into a non-optional property")
        } catch {
            #expect(error.message.contains("row 1"))
        }
        struct Lenient: Codable { var p: LenientInner? }
        struct LenientInner: Codable { var x: Int? }
        let rows = try table.rows(as: Lenient.self)
        #expect(rows.map { $0.p?.x } == [1, nil, nil])
        #expect(rows[1].p == nil && rows[2].p != nil)
    }

    @Test func nonKeyedRowsAreRejected() {
        #expect(throws: DataFolioError.self) { try Table(rows: [1, 2, 3]) }
        #expect(throws: DataFolioError.self) { try Table(rows: [[1], [2]]) }
    }

    @Test func heterogeneousFieldsAreRejected() {
        struct Shifty: Encodable {
            var asText: Bool
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                if asText { try container.encode("x", forKey: .value) } else { try container.encode(1, forKey: .value) }
            }
            enum Key: CodingKey { case value }
        }
        do {
            _ = try Table(rows: [Shifty(asText: false), Shifty(asText: true)])
            Issue.record("mixed kinds accepted")
        } catch {
            #expect(error.code == .typeMismatch)
            #expect(error.message.contains("Row 1"))
            #expect(error.message.contains("'value'"))
        }
    }

    @Test func hugeDecimalsFallBackToText() throws {
        struct Money: Codable, Equatable { var amount: Decimal }
        let rows = [Money(amount: Decimal(string: "1e30")!), Money(amount: Decimal(string: "0.000000000001")!)]
        let table = try Table(rows: rows)
        #expect(table["amount"]?.type == .string)
        #expect(try table.rows(as: Money.self) == rows)
    }

    @Test func customKeysAndUUIDs() throws {
        struct Account: Codable, Equatable {
            var id: UUID
            var displayName: String
            enum CodingKeys: String, CodingKey {
                case id = "account_id"
                case displayName = "display name"
            }
        }
        let rows = [Account(id: UUID(), displayName: "Ada"), Account(id: UUID(), displayName: "Grace")]
        let table = try Table(rows: rows)
        #expect(table.columnNames == ["account_id", "display name"])
        #expect(table["account_id"]?.type == .string)
        #expect(try table.rows(as: Account.self) == rows)
        // A 16-byte binary column also decodes as UUID.
        let uuid = UUID()
        let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
        let binary = try Table([
            try Column(name: "account_id", fixedWidth: 16, binary: [bytes]),
            Column(name: "display name", strings: ["x"]),
        ])
        #expect(try binary.rows(as: Account.self) == [Account(id: uuid, displayName: "x")])
    }

    // MARK: Decoding

    @Test func decodingWidensAndNarrowsNumbers() throws {
        struct Narrow: Decodable, Equatable { var a: Int8; var b: Double; var c: UInt16; var d: Float }
        let table = try Table([
            Column(name: "a", [1, -128] as [Int64]),
            Column(name: "b", [1, 2] as [Int32]),
            Column(name: "c", [3.0, 65535.0]),
            Column(name: "d", [0.5, 1e10]),
        ])
        #expect(try table.rows(as: Narrow.self) == [Narrow(a: 1, b: 1, c: 3, d: 0.5), Narrow(a: -128, b: 2, c: 65535, d: 1e10)])

        let tooBig = try Table([Column(name: "a", [300] as [Int64])])
        struct Small: Decodable { var a: Int8 }
        do {
            _ = try tooBig.rows(as: Small.self)
            Issue.record("300 decoded as Int8")
        } catch {
            #expect(error.code == .typeMismatch)
            #expect(error.message.contains("row 0"))
            #expect(error.message.contains("'a'"))
            #expect(error.message.contains("out of range"))
        }
        let fraction = try Table([Column(name: "a", [1.5])])
        #expect(throws: DataFolioError.self) { try fraction.rows(as: Small.self) }
        let negative = try Table([Column(name: "a", [-1] as [Int64])])
        struct Unsigned: Decodable { var a: UInt8 }
        #expect(throws: DataFolioError.self) { try negative.rows(as: Unsigned.self) }
    }

    @Test func decodingReadsCategoriesDatesAndLists() throws {
        struct Row: Decodable, Equatable {
            var colour: String
            var day: Date
            var seen: Date?
            var tags: [String]?
            var price: Decimal
            var priceText: String
        }
        let table = try Table([
            Column(name: "colour", categories: ["red", "blue"]),
            Column(name: "day", daysSinceEpoch: [1, 2]),
            Column(name: "seen", timestamps: [1_000_000, nil], unit: .nanosecond, timeZone: "UTC"),
            try Column(name: "tags", type: .list(.string), values: [["x"], nil]),
            try Column(name: "price", decimals: ["1.25", "-3.00"], precision: 6, scale: 2),
            try Column(name: "priceText", decimals: ["1.25", "-3.00"], precision: 6, scale: 2),
            Column(name: "ignored", [1, 2]),
        ])
        let rows = try table.rows(as: Row.self)
        #expect(rows == [
            Row(colour: "red", day: Date(timeIntervalSince1970: 86_400), seen: Date(timeIntervalSince1970: 0.001),
                tags: ["x"], price: Decimal(string: "1.25")!, priceText: "1.25"),
            Row(colour: "blue", day: Date(timeIntervalSince1970: 172_800), seen: nil, tags: nil,
                price: Decimal(string: "-3")!, priceText: "-3.00"),
        ])
    }

    @Test func decodingErrorsNameTheProblem() throws {
        struct Needs: Decodable { var id: Int; var email: String }
        let table = try Table([Column(name: "id", [1]), Column(name: "name", strings: ["a"])])
        do {
            _ = try table.rows(as: Needs.self)
            Issue.record("missing column accepted")
        } catch {
            #expect(error.code == .typeMismatch)
            #expect(error.message.contains("no column 'email'"))
        }
        let nulls = try Table([Column(name: "id", [nil] as [Int64?]), Column(name: "email", strings: ["a"])])
        do {
            _ = try nulls.rows(as: Needs.self)
            Issue.record("null accepted for Int")
        } catch {
            #expect(error.message.contains("null"))
            #expect(error.message.contains("optional"))
        }
        let wrongKind = try Table([Column(name: "id", strings: ["1"]), Column(name: "email", strings: ["a"])])
        do {
            _ = try wrongKind.rows(as: Needs.self)
            Issue.record("text accepted for Int")
        } catch {
            #expect(error.message.contains("'id'"))
            #expect(error.message.contains("text"))
        }
        struct Nested: Decodable { struct Inner: Decodable { var x: Int }; var id: Inner }
        #expect(throws: DataFolioError.self) { try table.rows(as: Nested.self) }
        #expect(throws: DataFolioError.self) { try table.rows(as: Int.self) }
        enum Tier: String, Decodable { case free }
        struct WithEnum: Decodable { var name: Tier }
        #expect(throws: DataFolioError.self) { try table.rows(as: WithEnum.self) }
    }
}
