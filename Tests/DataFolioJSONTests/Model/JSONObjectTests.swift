import DataFolioJSON
import Testing

@Suite("JSONObject ordering")
struct JSONObjectTests {
    @Test("new keys go at the end; reassigning keeps the position")
    func reassignKeepsPosition() {
        var object: JSONObject = ["b": 1, "a": 2]
        object["c"] = 3
        object["b"] = 10
        #expect(object.keys == ["b", "a", "c"])
        #expect(object.values == [10, 2, 3])
        #expect(object["b"] == 10)
        #expect(object.count == 3)
    }

    @Test("removal closes the gap, and a removed key comes back at the end")
    func removal() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3, "d": 4]
        #expect(object.removeValue(forKey: "b") == 2)
        #expect(object.keys == ["a", "c", "d"])
        #expect(object["c"] == 3)
        #expect(object.position(ofKey: "d") == 2)
        object["c"] = nil
        #expect(object.keys == ["a", "d"])
        #expect(object.removeValue(forKey: "missing") == nil)
        object["b"] = 5
        #expect(object.keys == ["a", "d", "b"])
        #expect(object.position(ofKey: "b") == 2)
        object.removeAll()
        #expect(object.isEmpty)
        #expect(object["a"] == nil)
    }

    @Test("insert places a new key; an existing key keeps its place")
    func insert() {
        var object: JSONObject = ["a": 1, "c": 3]
        object.insert(2, forKey: "b", at: 1)
        #expect(object.keys == ["a", "b", "c"])
        object.insert(0, forKey: "start", at: -5)
        object.insert(9, forKey: "end", at: 100)
        #expect(object.keys == ["start", "a", "b", "c", "end"])
        object.insert(30, forKey: "c", at: 0)
        #expect(object.keys == ["start", "a", "b", "c", "end"])
        #expect(object["c"] == 30)
        for (position, key) in object.keys.enumerated() {
            #expect(object.position(ofKey: key) == position)
        }
    }

    @Test("a repeated key in the initializer: last value, first position")
    func initializerDuplicates() {
        let object = JSONObject([("x", 1), ("y", 2), ("x", 3)])
        #expect(object.keys == ["x", "y"])
        #expect(object["x"] == 3)
    }

    @Test("setting null stores null; setting nil removes")
    func nullVersusNil() {
        var object: JSONObject = ["a": 1]
        object["a"] = .null
        #expect(object.contains("a"))
        #expect(object["a"] == .null)
        object["a"] = nil
        #expect(!object.contains("a"))
    }

    @Test("equality is order-sensitive; hasSameMembers is not")
    func equality() {
        let ab: JSONObject = ["a": 1, "b": 2]
        let ba: JSONObject = ["b": 2, "a": 1]
        #expect(ab != ba)
        #expect(ab.hasSameMembers(as: ba))
        #expect(!ab.hasSameMembers(as: ["a": 1, "b": 3]))
        #expect(!ab.hasSameMembers(as: ["a": 1]))
        #expect(ab == ["a": 1, "b": 2])
        #expect(ab.hashValue == JSONObject([("a", 1), ("b", 2)]).hashValue)
        #expect(Set([ab, ba, ["a": 1, "b": 2]]).count == 2)
    }

    @Test("keys are compared by their exact Unicode scalars")
    func exactKeys() {
        var object = JSONObject()
        object["\u{E9}"] = 1
        object["e\u{301}"] = 2
        #expect(object.count == 2)
        #expect(object["\u{E9}"] == 1)
        #expect(object["e\u{301}"] == 2)
        object.removeValue(forKey: "e\u{301}")
        #expect(object.keys == ["\u{E9}"])
        let precomposed: JSONObject = ["\u{E9}": 1]
        let decomposed: JSONObject = ["e\u{301}": 1]
        #expect(precomposed != decomposed)
        #expect(JSONValue.string("\u{E9}") != JSONValue.string("e\u{301}"))
        #expect(Set<JSONValue>([.string("\u{E9}"), .string("e\u{301}")]).count == 2)
    }

    @Test("iteration yields members in order")
    func iteration() {
        let object: JSONObject = ["z": 1, "y": 2, "x": 3]
        #expect(object.map(\.key) == ["z", "y", "x"])
        #expect(object.members.map(\.value) == [1, 2, 3])
    }

    @Test("many keys stay consistent through edits")
    func manyKeys() {
        var object = JSONObject()
        var reference = [(String, Int64)]()
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<2000 {
            let key = "k\(Int.random(in: 0..<200, using: &generator))"
            switch Int.random(in: 0..<3, using: &generator) {
            case 0:
                object.removeValue(forKey: key)
                reference.removeAll { $0.0 == key }
            default:
                let value = Int64.random(in: 0..<1000, using: &generator)
                object[key] = .int(value)
                if let index = reference.firstIndex(where: { $0.0 == key }) {
                    reference[index].1 = value
                } else {
                    reference.append((key, value))
                }
            }
        }
        #expect(object.keys == reference.map(\.0))
        #expect(object.values == reference.map { .int($0.1) })
        for (key, value) in reference { #expect(object[key] == .int(value)) }
    }
}
