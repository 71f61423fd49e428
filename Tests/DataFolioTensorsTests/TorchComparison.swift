import DataFolioJSON
import DataFolioNumPy
import DataFolioTensors
import Testing

/// Compares a value read by Swift with the `dump()` of the same object in Python,
/// recursively and exactly.
func expectMatches(_ value: TorchValue, _ json: JSONValue, path: String = "$", sourceLocation: SourceLocation = #_sourceLocation) throws {
    func mismatch(_ what: String) {
        Issue.record("\(path): \(what) — Swift has \(value), Python has \(json)", sourceLocation: sourceLocation)
    }
    switch (value, json) {
    case (.null, .null):
        return
    case (.bool(let a), .bool(let b)):
        if a != b { mismatch("different booleans") }
    case (.int(let a), .int(let b)):
        if a != b { mismatch("different integers") }
    case (.string(let a), .string(let b)):
        if a != b { mismatch("different strings") }
    case (.list(let items), .array(let expected)):
        try expectSequence(items, expected)
    case (_, .object(let object)):
        if let tensorName = object["__tensor__"]?.stringValue {
            guard case .tensor(let tensor) = value else { return mismatch("expected a \(tensorName) tensor") }
            try expectMatches(tensor.array, json, path, sourceLocation: sourceLocation)
            #expect(tensor.isParameter == object["parameter"]?.boolValue, "\(path): parameter", sourceLocation: sourceLocation)
            #expect(tensor.requiresGrad == object["requires_grad"]?.boolValue, "\(path): requires_grad", sourceLocation: sourceLocation)
        } else if let pairs = object["__ordered_dict__"]?.arrayValue ?? object["__dict__"]?.arrayValue {
            guard case .dict(let dictionary) = value else { return mismatch("expected a dict") }
            #expect(dictionary.isOrdered == (object["__ordered_dict__"] != nil), "\(path): OrderedDict or dict", sourceLocation: sourceLocation)
            #expect(dictionary.count == pairs.count, "\(path): number of keys", sourceLocation: sourceLocation)
            for (pair, expected) in zip(dictionary.entries, pairs) {
                let keyJSON = expected[0] ?? .null
                try expectMatches(pair.key, keyJSON, path: "\(path).key", sourceLocation: sourceLocation)
                try expectMatches(pair.value, expected[1] ?? .null, path: "\(path)[\(keyJSON)]", sourceLocation: sourceLocation)
            }
        } else if let items = object["__tuple__"]?.arrayValue {
            guard case .tuple(let tuple) = value else { return mismatch("expected a tuple") }
            try expectSequence(tuple, items)
        } else if let text = object["__float__"]?.stringValue {
            guard case .float(let number) = value, let expected = Double(text) else { return mismatch("expected a float") }
            if !(number == expected && number.sign == expected.sign) && !(number.isNaN && expected.isNaN) { mismatch("different floats") }
        } else if let device = object["__device__"]?.stringValue {
            if value != .device(device) { mismatch("different devices") }
        } else if let dtype = object["__dtype__"]?.stringValue {
            if value != .dtype(dtype) { mismatch("different dtypes") }
        } else {
            mismatch("an unexpected object")
        }
    default:
        mismatch("different kinds of value")
    }

    func expectSequence(_ items: [TorchValue], _ expected: [JSONValue]) throws {
        #expect(items.count == expected.count, "\(path): length", sourceLocation: sourceLocation)
        for (index, (item, other)) in zip(items, expected).enumerated() {
            try expectMatches(item, other, path: "\(path)[\(index)]", sourceLocation: sourceLocation)
        }
    }
}
