/// Conversions between Swift's camelCase property names and the snake_case names
/// Python code uses.
enum KeyCaseConversion {
    /// `learningRate` → `learning_rate`, `myURLProperty` → `my_url_property`,
    /// `layer2Size` → `layer2_size`. Leading and trailing underscores are kept.
    static func snakeCase(_ name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.firstIndex(where: { $0 != "_" }) else { return name }
        guard let last = scalars.lastIndex(where: { $0 != "_" }) else { return name }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[..<first])
        var i = first
        while i <= last {
            let scalar = scalars[i]
            if scalar.properties.isUppercase && i > first {
                let previous = scalars[i - 1]
                let nextIsLower = i < last && scalars[i + 1].properties.isLowercase
                // A word starts at a capital after a lowercase letter or digit, and at the
                // last capital of an acronym that is followed by a lowercase letter.
                if previous.properties.isLowercase || isDigit(previous)
                    || (previous.properties.isUppercase && nextIsLower) {
                    result.append("_")
                }
            }
            result.append(contentsOf: String(scalar).lowercased().unicodeScalars)
            i += 1
        }
        result.append(contentsOf: scalars[(last + 1)...])
        return String(result)
    }

    /// `learning_rate` → `learningRate`. Leading and trailing underscores are kept;
    /// only the first letter of each later word is changed.
    static func camelCase(_ name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.firstIndex(where: { $0 != "_" }) else { return name }
        guard let last = scalars.lastIndex(where: { $0 != "_" }) else { return name }
        guard scalars[first...last].contains("_") else { return name }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[..<first])
        var capitalizeNext = false
        for scalar in scalars[first...last] {
            if scalar == "_" {
                capitalizeNext = true
                continue
            }
            if capitalizeNext {
                result.append(contentsOf: String(scalar).uppercased().unicodeScalars)
                capitalizeNext = false
            } else {
                result.append(scalar)
            }
        }
        result.append(contentsOf: scalars[(last + 1)...])
        return String(result)
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.numericType == .decimal
    }
}
