/// Escaping for HTML and SVG. Everything a report shows — names, descriptions, JSON,
/// cells, file text — comes from users, so every piece of text goes through here.
///
/// ```swift
/// let cell = "<td>" + Markup.escape(userText) + "</td>"
/// let link = "<a href=\"#" + Markup.anchor("item", name) + "\">"
/// ```
public enum Markup {
    /// `text` safe as element content and as a quoted attribute value in HTML and
    /// XML: `&`, `<`, `>`, `"` and `'` become character references, and characters XML
    /// does not allow (control characters other than tab, line feed and carriage
    /// return; U+FFFE and U+FFFF) become U+FFFD, so standalone SVG stays well formed.
    ///
    /// ```swift
    /// Markup.escape("<b>\"a&b\"</b>")   // "&lt;b&gt;&quot;a&amp;b&quot;&lt;/b&gt;"
    /// ```
    public static func escape(_ text: String) -> String {
        var needsWork = false
        for byte in text.utf8 where byte < 0x20 || byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 || byte == 0xEF {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var out = String()
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// An `id` for an anchor derived from a name, the same for the same name and
    /// different for different names: letters, digits, `.` and `-` are kept, any other
    /// character becomes `_` followed by its code point in hexadecimal and `_`.
    ///
    /// ```swift
    /// Markup.anchor("item", "runs/a b")   // "item-runs_2f_a_20_b"
    /// ```
    public static func anchor(_ prefix: String, _ name: String) -> String {
        var out = prefix + "-"
        for scalar in name.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-": out.unicodeScalars.append(scalar)
            default: out += "_" + String(scalar.value, radix: 16) + "_"
            }
        }
        return out
    }

    /// A number for SVG coordinates: at most one decimal, no exponent.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(rounded)
    }
}
