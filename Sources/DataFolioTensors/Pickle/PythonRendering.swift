/// The Python-like text of pickled values and of `.pt` values: containers render the
/// same way for both, each element by the caller's own renderer.
enum PythonRendering {
    /// `[a, b]`, `(a,)`, `{a, b}`: a one-element tuple gets Python's trailing comma.
    static func sequence<Element>(
        _ items: [Element], _ open: String, _ close: String, into out: inout String,
        _ render: (Element, inout String) -> Void
    ) {
        out += open
        for (i, item) in items.enumerated() {
            if i > 0 { out += ", " }
            render(item, &out)
        }
        if items.count == 1 && open == "(" { out += "," }
        out += close
    }

    /// `{k: v}` or, for an ordered dictionary, `OrderedDict({k: v})`.
    static func mapping<Element>(
        _ pairs: [(key: Element, value: Element)], ordered: Bool, into out: inout String,
        _ render: (Element, inout String) -> Void
    ) {
        out += ordered ? "OrderedDict({" : "{"
        for (i, pair) in pairs.enumerated() {
            if i > 0 { out += ", " }
            render(pair.key, &out)
            out += ": "
            render(pair.value, &out)
        }
        out += ordered ? "})" : "}"
    }

    /// `set()` for an empty set, `{a, b}` otherwise; `frozenset({…})` when frozen.
    static func set<Element>(
        _ items: [Element], frozen: Bool, into out: inout String, _ render: (Element, inout String) -> Void
    ) {
        if frozen { out += "frozenset(" }
        if items.isEmpty && !frozen {
            out += "set()"
        } else {
            sequence(items, "{", "}", into: &out, render)
        }
        if frozen { out += ")" }
    }
}
