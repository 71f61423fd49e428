import DataFolioJSON
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test("accessors")
    func accessors() {
        let value: JSONValue = ["n": 3, "d": 2.0, "h": 2.5, "s": "x", "b": true, "a": [1, 2], "o": ["k": nil]]
        #expect(value["n"]?.intValue == 3)
        #expect(value["d"]?.intValue == 2)
        #expect(value["h"]?.intValue == nil)
        #expect(value["h"]?.doubleValue == 2.5)
        #expect(value["n"]?.doubleValue == 3)
        #expect(value["n"]?.int64Value == 3)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["s"]?.intValue == nil)
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?[1] == 2)
        #expect(value["a"]?[2] == nil)
        #expect(value["a"]?[-1] == nil)
        #expect(value["o"]?["k"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value.arrayValue == nil)
        #expect(value["a"]?.arrayValue?.count == 2)
        #expect(value.objectValue?.count == 7)
        #expect(JSONValue.double(1e30).intValue == nil)
        #expect(JSONValue.double(.nan).int64Value == nil)
    }

    @Test("Python type names for data_type")
    func pythonTypeNames() {
        let cases: [(JSONValue, String)] = [
            ([:], "dict"), ([], "list"), (1, "int"), (1.5, "float"), ("s", "str"), (true, "bool"), (nil, "NoneType"),
        ]
        for (value, name) in cases { #expect(value.pythonTypeName == name) }
    }

    @Test("equality: ints and doubles differ, zeros agree, NaN equals nothing")
    func equality() {
        #expect(JSONValue.int(1) != JSONValue.double(1))
        #expect(JSONValue.double(0) == JSONValue.double(-0.0))
        #expect(JSONValue.double(0).hashValue == JSONValue.double(-0.0).hashValue)
        #expect(JSONValue.double(.nan) != JSONValue.double(.nan))
        #expect(JSONValue.array([1, [2]]) == [1, [2]])
        #expect(JSONValue.array([1, [2]]) != [1, [3]])
        #expect(JSONValue.array([1, [2]]) != [1, [2], 3])
        #expect(JSONValue.null != false)
        #expect(JSONValue.object(["a": [1]]) != .array([1]))
        #expect(JSONValue.array([["a": 1]]).hashValue == JSONValue.array([["a": 1]]).hashValue)
        #expect(Set<JSONValue>([[1, 2], [2, 1], [1, 2], ["1": 2]]).count == 3)
    }
}
