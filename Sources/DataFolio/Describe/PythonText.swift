import DataFolioJSON

/// Renders JSON values the way Python's `str()` and `repr()` do, so `describe` shows
/// metadata exactly as the Python datafolio shows it (`{'a': 1, 'b': [True, None]}`).
enum PythonText {
    /// Python's `str(value)`: strings bare, everything else as `repr`.
    static func str(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return repr(value)
    }

    /// Python's `repr(value)` of the value Python would have loaded from JSON.
    static func repr(_ value: JSONValue) -> String {
        switch value {
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .double(let number): return float(number)
        case .string(let text): return string(text)
        case .array(let elements): return "[" + elements.map(repr).joined(separator: ", ") + "]"
        case .object(let object):
            return "{" + object.members.map { string($0.key) + ": " + repr($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// Python's float repr: shortest round-trip digits, exponent form below 1e-4 and
    /// from 1e16 (`1e-05`, `1e+16`), `inf`, `nan`.
    static func float(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        // Swift's description follows the same rules as Python's repr.
        return number.description
    }

    /// Python's string repr: single quotes unless the text contains a single quote and
    /// no double quote; backslash escapes for quotes, `\\`, `\n`, `\r`, `\t` and other
    /// non-printable characters.
    static func string(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, 2)
                } else if scalar.value != 0x20 && !scalar.properties.isPrintableForPython {
                    if scalar.value <= 0xFF {
                        out += "\\x" + hex(scalar.value, 2)
                    } else if scalar.value <= 0xFFFF {
                        out += "\\u" + hex(scalar.value, 4)
                    } else {
                        out += "\\U" + hex(scalar.value, 8)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }

    private static func hex(_ value: UInt32, _ width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Unicode.Scalar.Properties {
    /// Python's `str.isprintable()` for one character: not in the categories Other
    /// (Cc, Cf, Cs, Co, Cn) or Separator (Zl, Zp, Zs) except the ASCII space.
    var isPrintableForPython: Bool {
        switch generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
            return false
        case .spaceSeparator:
            return false
        default:
            return true
        }
    }
}
