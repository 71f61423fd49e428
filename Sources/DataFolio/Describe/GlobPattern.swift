/// Shell-style name patterns as Python's `fnmatch` understands them: `*` (any text,
/// also across `/`), `?` (one character), `[abc]`, `[a-z]` and `[!abc]`.
struct GlobPattern {
    private let pattern: [Character]

    init(_ pattern: String) {
        self.pattern = Array(pattern)
    }

    /// Whether `text` is a pattern rather than a plain name: it holds `*`, `?` or `[`,
    /// which item names never contain (Python's rule for `archive`).
    static func isPattern(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    func matches(_ name: String) -> Bool {
        let text = Array(name)
        var p = 0, t = 0
        var starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count {
                switch pattern[p] {
                case "*":
                    starP = p
                    starT = t
                    p += 1
                    continue
                case "?":
                    p += 1
                    t += 1
                    continue
                case "[":
                    if let (matched, next) = matchClass(at: p, text[t]) {
                        if matched {
                            p = next
                            t += 1
                            continue
                        }
                    } else if text[t] == "[" {
                        p += 1
                        t += 1
                        continue
                    }
                default:
                    if pattern[p] == text[t] {
                        p += 1
                        t += 1
                        continue
                    }
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < pattern.count && pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// Matches a `[...]` class starting at `start`; `nil` when the bracket is not closed.
    private func matchClass(at start: Int, _ character: Character) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < pattern.count && (pattern[i] == "!") {
            negate = true
            i += 1
        }
        var matched = false
        var first = true
        while i < pattern.count && (pattern[i] != "]" || first) {
            first = false
            if i + 2 < pattern.count && pattern[i + 1] == "-" && pattern[i + 2] != "]" {
                if pattern[i] <= character && character <= pattern[i + 2] { matched = true }
                i += 3
            } else {
                if pattern[i] == character { matched = true }
                i += 1
            }
        }
        guard i < pattern.count else { return nil }
        return (matched != negate, i + 1)
    }
}
