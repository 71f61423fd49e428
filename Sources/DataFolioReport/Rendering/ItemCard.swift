import Foundation

/// Writes one item's card: its facts, then the preview of its kind.
struct ItemCard {
    /// The names of the items in the report (other names are shown as missing).
    let known: Set<String>
    var out = String()

    /// The most names listed as inputs or dependents.
    static let namesListed = 30

    init(known: Set<String>) {
        self.known = known
    }

    mutating func render(_ item: ReportItem) {
        let name = Markup.escape(item.name)
        let anchor = Markup.anchor("item", item.name)
        out += "<article class=\"card k-\(item.kind.rawValue)\" id=\"\(anchor)\" data-name=\"\(name)\" data-kind=\"\(item.kind.rawValue)\">\n"
        out += "<h3><a href=\"#\(anchor)\">\(name)</a></h3>"
        out += "<span class=\"badge\">\(Markup.escape(item.kind.displayName))</span>"
        if item.isArchived { out += "<span class=\"badge archived\">archived</span>" }
        out += "\n"
        if let description = item.description { out += "<p class=\"desc\">\(Markup.escape(description))</p>\n" }
        out += "<dl>"
        if item.kind == .other { fact("Type", Markup.escape(item.typeName)) }
        if let size = item.size { fact("Size", ByteSize.text(size)) }
        if let created = item.created { fact("Created", Self.time(created)) }
        if !item.inputs.isEmpty { fact("Inputs", links(item.inputs)) }
        if !item.dependents.isEmpty { fact("Used by", links(item.dependents)) }
        if let location = item.location { fact("Location", "<code>\(Markup.escape(location))</code>") }
        preview(item.preview, facts: true)
        out += "</dl>\n"
        preview(item.preview, facts: false)
        out += "</article>\n"
    }

    private mutating func fact(_ label: String, _ html: String) {
        out += "<dt>\(label)</dt><dd>\(html)</dd>"
    }

    /// Names as links to their cards, the first ``namesListed`` of them.
    func links(_ names: [String]) -> String {
        var parts = names.prefix(Self.namesListed).map { name -> String in
            known.contains(name)
                ? "<a href=\"#\(Markup.anchor("item", name))\">\(Markup.escape(name))</a>"
                : "<span class=\"missing\" title=\"no item has this name\">\(Markup.escape(name)) (missing)</span>"
        }
        if names.count > Self.namesListed { parts.append("and \(names.count - Self.namesListed) more") }
        return parts.joined(separator: ", ")
    }

    /// Writes the preview: its short facts inside the card's list (`facts`), or its
    /// blocks after the list.
    private mutating func preview(_ preview: ItemPreview, facts: Bool) {
        switch preview {
        case .none:
            break
        case .unavailable(let reason):
            if !facts { note(reason) }
        case .table(let table):
            facts ? tableFacts(table) : tableBlocks(table)
        case .array(let array):
            facts ? arrayFacts(array) : arrayBlocks(array)
        case .json(let json):
            if facts {
                if let type = json.typeName { fact("JSON type", Markup.escape(type)) }
            } else {
                jsonBlock(json, label: "Value")
            }
        case .timestamp(let time):
            if facts { fact("Time", "<time>\(Markup.escape(time.iso))</time>") }
        case .model(let model):
            facts ? modelFacts(model) : modelBlocks(model)
        case .tensors(let tensors):
            if !facts { tensorTable(tensors) }
        case .file(let file):
            facts ? fileFacts(file) : fileBlocks(file)
        }
    }

    private mutating func note(_ text: String) {
        out += "<p class=\"note\">\(Markup.escape(text))</p>\n"
    }

    // MARK: Tables

    private mutating func tableFacts(_ table: TablePreview) {
        var shape = table.rowCount.map { "\(Self.grouped($0)) row\($0 == 1 ? "" : "s")" } ?? "rows unknown"
        shape += " × \(table.columns.count) column\(table.columns.count == 1 ? "" : "s")"
        fact("Shape", shape)
    }

    private mutating func tableBlocks(_ table: TablePreview) {
        if !table.columns.isEmpty {
            let source: String
            switch table.statisticsSource {
            case .parquetStatistics: source = "; nulls and bounds from the Parquet statistics"
            case .data: source = "; nulls and bounds computed from the rows"
            case .none: source = ""
            }
            let open = table.columns.count <= 12 ? " open" : ""
            out += "<details\(open)><summary>Schema (\(table.columns.count) column\(table.columns.count == 1 ? "" : "s")\(source))</summary>"
            out += "<div class=\"scroll\"><table class=\"schema\"><thead><tr><th>Column</th><th>Type</th>"
            let withStatistics = table.statisticsSource != .none
            if withStatistics { out += "<th>Nulls</th><th>Min</th><th>Max</th>" }
            out += "</tr></thead><tbody>"
            for column in table.columns {
                out += "<tr><td>\(Markup.escape(column.name))\(column.isIndex ? " <span class=\"note\">(index)</span>" : "")</td>"
                out += Self.cell(Self.compactType(column.type))
                if withStatistics {
                    out += cell(column.nullCount.map { Self.grouped($0) }, emptyAs: "–")
                    out += cell(column.minimum, emptyAs: "–")
                    out += cell(column.maximum, emptyAs: "–")
                }
                out += "</tr>"
            }
            out += "</tbody></table></div></details>\n"
        }
        if !table.headRows.isEmpty {
            let total = table.rowCount ?? table.headRows.count
            out += "<div class=\"note\">First \(table.headRows.count) of \(Self.grouped(total)) row\(total == 1 ? "" : "s")</div>"
            out += "<div class=\"scroll\"><table class=\"rows\"><thead><tr>"
            for column in table.headColumns { out += "<th>\(Markup.escape(column))</th>" }
            out += "</tr></thead><tbody>"
            for row in table.headRows {
                out += "<tr>"
                for value in row {
                    if let value {
                        out += Self.cell(value)
                    } else {
                        out += "<td class=\"null\">null</td>"
                    }
                }
                out += "</tr>"
            }
            out += "</tbody></table></div>\n"
        }
        if let note = table.note { self.note(note) }
    }

    private func cell(_ text: String?, emptyAs placeholder: String) -> String {
        guard let text else { return "<td class=\"null\">\(placeholder)</td>" }
        return Self.cell(text)
    }

    /// A cell; long text (which the style may cut with an ellipsis) also gets a tooltip.
    static func cell(_ text: String) -> String {
        let escaped = Markup.escape(text)
        return text.count > 16 ? "<td title=\"\(escaped)\">\(escaped)</td>" : "<td>\(escaped)</td>"
    }

    // MARK: Arrays

    private mutating func arrayFacts(_ array: ArrayPreview) {
        fact("Shape", "(" + array.shape.map(String.init).joined(separator: ", ") + (array.shape.count == 1 ? ",)" : ")"))
        fact("Dtype", Markup.escape(array.dtype))
        guard let statistics = array.statistics else { return }
        if let minimum = statistics.minimum, let maximum = statistics.maximum {
            fact("Min / max", Self.number(minimum) + " / " + Self.number(maximum))
        }
        if let mean = statistics.mean { fact("Mean", Self.number(mean)) }
        if statistics.nanCount > 0 { fact("NaN", Self.grouped(statistics.nanCount)) }
        if statistics.infiniteCount > 0 { fact("Infinite", Self.grouped(statistics.infiniteCount)) }
    }

    private mutating func arrayBlocks(_ array: ArrayPreview) {
        if let statistics = array.statistics, statistics.histogram.count > 0 {
            histogram(statistics)
            if statistics.isSampled {
                note("Statistics from \(Self.grouped(statistics.sampledCount)) evenly spaced values of \(Self.grouped(statistics.totalCount)).")
            }
        }
        if !array.firstValues.isEmpty {
            out += "<div class=\"note\">First values</div><pre>\(Markup.escape(array.firstValues.joined(separator: "\n")))</pre>\n"
        }
        if let note = array.note { self.note(note) }
    }

    /// A small bar chart of the histogram (inline SVG, no script).
    private mutating func histogram(_ statistics: NumericSummary) {
        let counts = statistics.histogram
        let peak = max(counts.max() ?? 1, 1)
        let width = 240.0
        let height = 48.0
        let bar = width / Double(counts.count)
        // One path for all the bars keeps the picture small.
        var bars = ""
        for (index, count) in counts.enumerated() where count > 0 {
            let h = max(height * Double(count) / Double(peak), 1)
            bars += "M\(Markup.number(Double(index) * bar + 0.5)),\(Markup.number(height))v-\(Markup.number(h))h\(Markup.number(max(bar - 1, 0.5)))v\(Markup.number(h))z"
        }
        out += "<svg class=\"hist\" width=\"240\" height=\"48\" viewBox=\"0 0 240 48\" role=\"img\" aria-label=\"Histogram of the values\">"
        out += "<path d=\"\(bars)\"/></svg>"
        out += "<div class=\"hist-axis\"><span>\(Self.number(statistics.minimum ?? 0))</span><span>\(Self.number(statistics.maximum ?? 0))</span></div>\n"
    }

    // MARK: JSON, models, tensors

    private mutating func jsonBlock(_ json: JSONPreview, label: String) {
        let lines = json.lineCount
        let open = lines <= 16 ? " open" : ""
        out += "<details class=\"json\"\(open)><summary>\(label) (\(lines) line\(lines == 1 ? "" : "s"))</summary>"
        out += "<pre>\(Markup.escape(json.text))</pre></details>\n"
        if json.omittedCharacters > 0 { note("\(Self.grouped(json.omittedCharacters)) more characters not shown.") }
    }

    private mutating func modelFacts(_ model: ModelPreview) {
        if let type = model.modelType { fact("Model", Markup.escape(type)) }
        if let format = model.format { fact("Format", Markup.escape(format)) }
        if let tensors = model.tensors {
            fact("Tensors", "\(Self.grouped(tensors.totalCount)), \(ByteSize.text(tensors.totalBytes))")
        }
    }

    private mutating func modelBlocks(_ model: ModelPreview) {
        fields(model.hyperparameters, title: "Hyperparameters")
        fields(model.initArguments, title: "Init arguments")
        if let tensors = model.tensors { tensorTable(tensors) }
        if let body = model.body { jsonBlock(body, label: "Stored model") }
        if let note = model.note { self.note(note) }
    }

    private mutating func fields(_ fields: [ReportField], title: String) {
        guard !fields.isEmpty else { return }
        out += "<div class=\"note\">\(title)</div><div class=\"scroll\"><table><tbody>"
        for field in fields {
            out += "<tr><th>\(Markup.escape(field.key))</th>" + Self.cell(field.value) + "</tr>"
        }
        out += "</tbody></table></div>\n"
    }

    private mutating func tensorTable(_ list: TensorListPreview) {
        out += "<details class=\"tensors\"\(list.tensors.count <= 12 ? " open" : "")><summary>"
        out += "\(Self.grouped(list.totalCount)) tensor\(list.totalCount == 1 ? "" : "s"), \(ByteSize.text(list.totalBytes))</summary>"
        out += "<div class=\"scroll\"><table><thead><tr><th>Tensor</th><th>Dtype</th><th>Shape</th><th>Size</th></tr></thead><tbody>"
        for tensor in list.tensors {
            out += "<tr><td>\(Markup.escape(tensor.name))</td><td>\(Markup.escape(tensor.dtype))</td>"
            out += "<td>[\(tensor.shape.map(String.init).joined(separator: ", "))]</td><td>\(ByteSize.text(tensor.byteCount))</td></tr>"
        }
        out += "</tbody></table></div>"
        if list.totalCount > list.tensors.count { out += "<p class=\"note\">First \(list.tensors.count) of \(Self.grouped(list.totalCount)).</p>" }
        out += "</details>\n"
    }

    // MARK: Files

    private mutating func fileFacts(_ file: FilePreview) {
        if let category = file.category { fact("Category", Markup.escape(category)) }
    }

    private mutating func fileBlocks(_ file: FilePreview) {
        switch file.content {
        case .none(let reason):
            note(reason)
        case .folder(let count):
            note("A folder" + (count.map { " of \(Self.grouped($0)) file\($0 == 1 ? "" : "s")" } ?? "") + ".")
        case .text(let text, let omitted):
            out += "<pre class=\"text\">\(Markup.escape(text))</pre>\n"
            if omitted > 0 { note("\(ByteSize.text(omitted)) more not shown.") }
        case .image(let mediaType, let bytes):
            let alt = Markup.escape(file.fileName ?? "picture")
            out += "<img class=\"preview\" alt=\"\(alt)\" src=\"data:\(mediaType);base64,\(Data(bytes).base64EncodedString())\">\n"
        }
    }

    // MARK: Text

    /// `2026-11-26T12:00:00.123456+00:00` shown as `2026-11-26 12:00:00 UTC`.
    static func time(_ iso: String) -> String {
        let scalars = Array(iso.unicodeScalars)
        guard scalars.count >= 19, scalars[10] == "T", scalars[4] == "-", scalars[13] == ":" else { return "<time>\(Markup.escape(iso))</time>" }
        let short = String(String.UnicodeScalarView(scalars[0..<10])) + " " + String(String.UnicodeScalarView(scalars[11..<19]))
        let zone = iso.hasSuffix("Z") || iso.hasSuffix("+00:00") ? " UTC" : ""
        return "<time>\(Markup.escape(short))\(zone)</time>"
    }

    /// Arrow's dictionary types by their values: `dictionary<values=string, indices=int32, ordered=0>` → `dictionary<string>`.
    static func compactType(_ type: String) -> String {
        guard type.hasPrefix("dictionary<values="), let comma = type.range(of: ", indices=") else { return type }
        return "dictionary<" + type[type.index(type.startIndex, offsetBy: 18)..<comma.lowerBound] + ">"
    }

    // MARK: Numbers

    /// An integer with thousands separators: `12,345`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A statistic: up to 6 significant digits.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-inf" : "inf") }
        if value == value.rounded(), abs(value) < 1e15 { return grouped(Int(value)) }
        let magnitude = abs(value)
        if magnitude >= 1e6 || magnitude < 1e-4 { return String(format: "%.4g", value) }
        var text = String(format: "%.6g", value)
        if text.contains("e") { return text }
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// Writes the snapshot timeline.
struct SnapshotTimeline {
    let known: Set<String>
    var out = String()

    static let namesListed = 40

    init(known: Set<String>) {
        self.known = known
    }

    mutating func render(_ snapshots: [ReportSnapshot], pending: ReportChanges?) {
        guard !snapshots.isEmpty else {
            out += "<p class=\"note\">No snapshots yet. <code>datafolio snapshot create NAME</code> freezes the current state.</p>\n"
            return
        }
        out += "<ol class=\"timeline\">\n"
        if let pending {
            out += "<li class=\"pending\"><h3>Working state</h3>"
            if pending.isEmpty {
                out += "<p class=\"note\">Nothing changed since snapshot \(Markup.escape(pending.from)).</p>"
            } else {
                out += "<p class=\"note\">Changes since snapshot \(Markup.escape(pending.from)):</p>"
                changes(pending)
            }
            out += "</li>\n"
        }
        for snapshot in snapshots {
            out += "<li id=\"\(Markup.anchor("snapshot", snapshot.name))\"\(snapshot.isShown ? " class=\"shown\"" : "")>"
            out += "<h3>\(Markup.escape(snapshot.name))"
            for tag in snapshot.tags { out += "<span class=\"tag\">\(Markup.escape(tag))</span>" }
            out += "</h3>" + ItemCard.time(snapshot.timestamp)
            out += " · \(ItemCard.grouped(snapshot.itemCount)) item\(snapshot.itemCount == 1 ? "" : "s")"
            if snapshot.isShown { out += " · <b>shown in this report</b>" }
            if let description = snapshot.description { out += "<p class=\"desc\">\(Markup.escape(description))</p>" }
            if let changes = snapshot.changes {
                if changes.isEmpty {
                    out += "<p class=\"note\">No changes since \(Markup.escape(changes.from)).</p>"
                } else {
                    out += "<p class=\"note\">Since \(Markup.escape(changes.from)):</p>"
                    self.changes(changes)
                }
            } else {
                out += "<p class=\"note\">The first snapshot.</p>"
            }
            out += "</li>\n"
        }
        out += "</ol>\n"
    }

    private mutating func changes(_ changes: ReportChanges) {
        out += "<ul class=\"changes\">"
        list("added", "Added", changes.added)
        list("removed", "Removed", changes.removed)
        list("modified", "Modified", changes.modified)
        if !changes.metadataChanges.isEmpty {
            out += "<li class=\"modified\"><b>Metadata</b>: "
            out += changes.metadataChanges.prefix(Self.namesListed).map { change in
                "<code>\(Markup.escape(change.key))</code> \(Markup.escape(change.old ?? "(absent)")) → \(Markup.escape(change.new ?? "(absent)"))"
            }.joined(separator: "; ")
            if changes.metadataChanges.count > Self.namesListed { out += "; and \(changes.metadataChanges.count - Self.namesListed) more" }
            out += "</li>"
        }
        out += "</ul>"
    }

    private mutating func list(_ style: String, _ label: String, _ names: [String]) {
        guard !names.isEmpty else { return }
        out += "<li class=\"\(style)\"><b>\(label)</b> (\(names.count)): "
        out += names.prefix(Self.namesListed).map { name in
            known.contains(name) ? "<a href=\"#\(Markup.anchor("item", name))\">\(Markup.escape(name))</a>" : Markup.escape(name)
        }.joined(separator: ", ")
        if names.count > Self.namesListed { out += ", and \(names.count - Self.namesListed) more" }
        out += "</li>"
    }
}
