extension JSONValue {
    /// The path of the first NaN or infinite number in the value (`$.metrics.loss[3]`),
    /// or `nil` when every number is finite. JSON has no NaN or infinity, so a folio
    /// refuses such values instead of writing `null` in their place.
    ///
    /// ```swift
    /// let value: JSONValue = ["loss": [0.5, .double(.nan)]]
    /// print(value.firstNonFiniteNumberPath ?? "-")   // $.loss[1]
    /// ```
    public var firstNonFiniteNumberPath: String? {
        // Iterative, so hostile nesting costs no stack.
        var pending: [(JSONValue, String)] = [(self, "$")]
        while let (value, path) = pending.popLast() {
            switch value {
            case .double(let number) where !number.isFinite:
                return path
            case .array(let elements):
                for (index, element) in elements.enumerated().reversed() {
                    pending.append((element, path + "[\(index)]"))
                }
            case .object(let object):
                for (key, element) in object.members.reversed() {
                    pending.append((element, path + JSONValue.pathComponent(key: key)))
                }
            default:
                continue
            }
        }
        return nil
    }

    /// `.key` for identifier-like keys, `["key"]` otherwise.
    static func pathComponent(key: String) -> String {
        let plain = !key.isEmpty && key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_") }
            && !(key.unicodeScalars.first?.properties.numericType != nil)
        if plain { return "." + key }
        let escaped = key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "[\"" + escaped + "\"]"
    }
}
