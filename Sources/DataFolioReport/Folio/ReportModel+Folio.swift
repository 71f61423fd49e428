// Everything the report reads from a folio goes through this file; the rest of the
// module works on the plain values of ReportModel and on the format modules.
import DataFolio
import Foundation

extension DataFolio {
    /// A self-contained HTML report of the folio (or of one of its snapshots): the
    /// header, the lineage graph, one card per item with a preview of its content,
    /// and the snapshot timeline. See ``ReportModel/html(graph:graphNodeLimit:)``.
    ///
    /// ```swift
    /// let folio = try DataFolio(at: "experiments/churn-v3", options: .readOnly)
    /// try folio.report().write(toFile: "report.html", atomically: true, encoding: .utf8)
    /// ```
    ///
    /// - Throws: ``DataFolioError`` `snapshotNotFound` for an unknown snapshot. Items
    ///   whose content cannot be read get a note in their card instead.
    public func report(snapshot: String? = nil, limits: ReportLimits = ReportLimits()) throws(DataFolioError) -> String {
        try ReportModel(folio: self, snapshot: snapshot, limits: limits).html(graphNodeLimit: limits.graphNodes)
    }

    /// The lineage drawing of the folio's items (or a snapshot's), coloured by kind.
    ///
    /// ```swift
    /// let svg = try folio.lineageDiagram().svg()
    /// let page = try folio.lineageDiagram().htmlDocument(title: "Lineage")
    /// ```
    public func lineageDiagram(snapshot: String? = nil) throws(DataFolioError) -> LineageDiagram {
        let view = try snapshot.map { name throws(DataFolioError) in try self.snapshot(name) } ?? self
        return view.lineage.diagram(kinds: Dictionary(view.items.map { ($0.name, FolioReading.kind(of: $0)) }, uniquingKeysWith: { a, _ in a }))
    }
}

extension LineageGraph {
    /// The graph as a ``LineageDiagram``; `kinds` colours the nodes (others are drawn
    /// neutral).
    ///
    /// ```swift
    /// let svg = folio.lineage.diagram(kinds: ["clean": .table]).svg()
    /// ```
    public func diagram(kinds: [String: ReportItemKind] = [:]) -> LineageDiagram {
        LineageDiagram(nodes: nodes.map { LineageDiagram.Node(name: $0.name, kind: kinds[$0.name] ?? .other, inputs: $0.inputs) })
    }

    /// The graph as a standalone SVG document (see ``LineageDiagram/svg(_:)``).
    ///
    /// ```swift
    /// try folio.lineage.svg().write(toFile: "lineage.svg", atomically: true, encoding: .utf8)
    /// ```
    public func svg(kinds: [String: ReportItemKind] = [:]) -> String {
        diagram(kinds: kinds).svg()
    }

    /// The graph in a self-contained HTML page (see ``LineageDiagram/htmlDocument(title:_:)``).
    ///
    /// ```swift
    /// let page = folio.lineage.htmlDocument(title: "Lineage of churn-v3")
    /// ```
    public func htmlDocument(title: String, kinds: [String: ReportItemKind] = [:]) -> String {
        diagram(kinds: kinds).htmlDocument(title: title)
    }
}

extension ReportModel {
    /// Reads what a report shows from a folio, or from one of its snapshots: catalog
    /// facts for every item, a bounded preview of each item's content, the snapshot
    /// timeline and what changed since the newest snapshot. Only as much of each
    /// payload is read as the preview needs (a Parquet footer and first row group, an
    /// array sample through a memory map, the first bytes of a file).
    ///
    /// ```swift
    /// let model = try ReportModel(folio: folio, snapshot: "paper-v1")
    /// print(model.items.count, model.snapshots.map(\.name))
    /// ```
    ///
    /// - Throws: ``DataFolioError`` `snapshotNotFound` for an unknown snapshot. An item
    ///   that cannot be read gets ``ItemPreview/unavailable(_:)`` with the reason.
    public init(folio: DataFolio, snapshot: String? = nil, limits: ReportLimits = ReportLimits()) throws(DataFolioError) {
        let view = try snapshot.map { name throws(DataFolioError) in try folio.snapshot(name) } ?? folio
        let entries = view.items
        let fitted = limits.fitted(toItemCount: entries.count)

        var dependents = [String: [String]]()
        for node in view.lineage.nodes {
            for input in node.inputs { dependents[input, default: []].append(node.name) }
        }

        var reading = FolioReading(folio: view, limits: fitted)
        var items = [ReportItem]()
        items.reserveCapacity(entries.count)
        var totalSize = 0
        for entry in entries {
            let size = view.payloadSize(of: entry) ?? entry.fields["size_bytes"]?.intValue
            totalSize += size ?? 0
            items.append(ReportItem(
                name: entry.name, kind: FolioReading.kind(of: entry), typeName: entry.itemType, description: entry.description,
                size: size, created: entry.createdAt, inputs: entry.inputs, dependents: dependents[entry.name] ?? [],
                location: entry.kind == .referencedTable ? view.location(of: entry) : entry.relativePayloadPath, isArchived: entry.isArchived, preview: reading.preview(entry, size: size)))
        }

        var metadata = [ReportField]()
        for (key, value) in view.metadata where key != "_datafolio" {
            metadata.append(ReportField(key: key, value: FolioReading.jsonText(value, limit: fitted.cellCharacters * 4)))
        }
        if metadata.count > fitted.fields { metadata = Array(metadata.prefix(fitted.fields)) }

        let summaries = folio.snapshots
        var timeline = [ReportSnapshot]()
        for (index, summary) in summaries.enumerated() {
            var changes: ReportChanges?
            if index + 1 < summaries.count, let comparison = try? folio.compareSnapshots(summaries[index + 1].name, summary.name) {
                changes = FolioReading.changes(comparison, limit: fitted.cellCharacters)
            }
            timeline.append(ReportSnapshot(
                name: summary.name, timestamp: summary.record["timestamp"]?.stringValue ?? "", description: summary.description, tags: summary.tags,
                itemCount: summary.itemCount, changes: changes, isShown: summary.name == snapshot))
        }
        var pending: ReportChanges?
        if snapshot == nil, !summaries.isEmpty, let comparison = try? folio.changes() {
            pending = FolioReading.changes(comparison, limit: fitted.cellCharacters)
        }

        let location = FolioReading.root(of: folio)
        let trimmed = location.hasSuffix("/") ? String(location.dropLast()) : location
        let title = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        var notes = [String]()
        if fitted != limits {
            notes.append("Previews are shortened so that the report of \(entries.count) items stays small.")
        }
        if reading.skippedPictures > 0 {
            notes.append("\(reading.skippedPictures) picture\(reading.skippedPictures == 1 ? " was" : "s were") not inlined to keep the file small.")
        }
        self.init(
            header: ReportHeader(
                title: title, location: location, snapshot: snapshot, revision: snapshot == nil ? folio.revision : nil, metadata: metadata,
                totalSize: totalSize, generatedAt: FolioReading.now(), generator: "DataFolio \(DataFolio.version)"),
            items: items, snapshots: timeline, changesSinceNewestSnapshot: pending, notes: notes)
    }
}

/// Reads item previews from a folio, keeping the report-wide budget for pictures.
struct FolioReading {
    let folio: DataFolio
    let limits: ReportLimits
    var imageBudget: Int
    var skippedPictures = 0

    init(folio: DataFolio, limits: ReportLimits) {
        self.folio = folio
        self.limits = limits
        imageBudget = limits.totalImageBytes
    }

    static func kind(of entry: CatalogItem) -> ReportItemKind {
        switch entry.kind {
        case .includedTable: .table
        case .referencedTable: .referencedTable
        case .numpyArray: .array
        case .jsonData: .json
        case .timestamp: .timestamp
        case .artifact: entry.filename?.hasSuffix(".safetensors") == true ? .tensors : .file
        case .model where entry.fields["serialization_format"]?.stringValue == "pytorch_state_dict": .pytorch
        case .model: .model
        case .legacyPyTorchModel: .pytorch
        default: .other
        }
    }

    mutating func preview(_ entry: CatalogItem, size: Int?) -> ItemPreview {
        do throws(DataFolioError) {
            switch Self.kind(of: entry) {
            case .table: return try table(entry)
            case .referencedTable: return try referencedTable(entry)
            case .array: return .array(ArrayPreview(try folio.get(entry.name, memoryMapped: true), limits: limits))
            case .json: return try json(entry, size: size)
            case .timestamp: return .timestamp(TimestampPreview(iso: Self.iso(try folio.get(entry.name) as Date)))
            case .tensors: return .tensors(tensorList(try folio.get(entry.name) as TensorDictionary))
            case .model: return try model(entry, size: size)
            case .pytorch: return try pyTorch(entry)
            case .file: return try file(entry, size: size)
            case .other: return .unavailable("This version of DataFolio does not know the item type '\(entry.itemType)'.")
            }
        } catch {
            return .unavailable("The content could not be read: \(error.message)")
        }
    }

    // MARK: Tables

    private func table(_ entry: CatalogItem) throws(DataFolioError) -> ItemPreview {
        let index = entry.fields["index_columns"]?.arrayValue?.compactMap(\.stringValue)
        return .table(try TablePreview(parquet: try folio.parquetReader(of: entry.name), indexColumns: index, limits: limits))
    }

    private func referencedTable(_ entry: CatalogItem) throws(DataFolioError) -> ItemPreview {
        guard let stored = folio.location(of: entry) else { return catalogTable(entry, note: "The catalog records no path.") }
        if stored.contains("://") && !stored.hasPrefix("file://") {
            return catalogTable(entry, note: "Remote data (\(stored)) is not read for the report.")
        }
        var path = stored.hasPrefix("file://") ? (URL(string: stored)?.path ?? stored) : stored
        if !path.hasPrefix("/") { path = Self.root(of: folio) + "/" + path }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            return catalogTable(entry, note: "The referenced data is missing (\(stored)).")
        }
        if isFolder.boolValue { return catalogTable(entry, note: "A folder of Parquet files; not read for the report.") }
        if (entry.fields["table_format"]?.stringValue ?? "parquet") == "parquet" {
            return .table(try TablePreview(parquet: try ParquetReader(path: path), limits: limits))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size, size <= limits.referencedTableBytes else {
            return catalogTable(entry, note: "The referenced file is too large to read for the report.")
        }
        return .table(TablePreview(table: try folio.get(entry.name, as: Table.self), limits: limits))
    }

    /// A table preview from the catalog alone (columns, types and row count as recorded).
    private func catalogTable(_ entry: CatalogItem, note: String) -> ItemPreview {
        let names = entry.fields["columns"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let types = entry.fields["dtypes"]?.objectValue ?? [:]
        let columns = names.prefix(limits.tableSchemaColumns).map {
            TableColumnSummary(name: $0, type: types[$0]?.stringValue ?? "unknown")
        }
        return .table(TablePreview(rowCount: entry.fields["num_rows"]?.intValue, columns: Array(columns), headColumns: [], note: note))
    }

    // MARK: JSON and models

    private func json(_ entry: CatalogItem, size: Int?) throws(DataFolioError) -> ItemPreview {
        if let size, size > limits.jsonBytes {
            return .unavailable("The JSON value (\(size) bytes) is too large to show here.")
        }
        let value: JSONValue = try folio.get(entry.name)
        return .json(jsonPreview(value))
    }

    private func jsonPreview(_ value: JSONValue) -> JSONPreview {
        let (text, omitted) = TextBounds.head(of: value.formatted(indented: true), limit: limits.jsonCharacters)
        return JSONPreview(text: text, typeName: value.pythonTypeName, omittedCharacters: omitted)
    }

    private func model(_ entry: CatalogItem, size: Int?) throws(DataFolioError) -> ItemPreview {
        let format = entry.fields["serialization_format"]?.stringValue ?? (entry.filename?.hasSuffix(".skops") == true ? "skops" : "joblib")
        var preview = ModelPreview(
            modelType: entry.fields["model_type"]?.stringValue, format: format,
            hyperparameters: fields(entry.fields["hyperparameters"]?.objectValue))
        if format == "json" {
            if let size, size > limits.jsonBytes {
                preview.note = "The stored model (\(size) bytes) is too large to show here."
            } else if let json = try folio.get(entry.name, as: ModelValue.self).json {
                preview.body = jsonPreview(json)
            }
        } else {
            preview.note = "Saved by Python with \(format); only Python can load it."
        }
        return .model(preview)
    }

    private func pyTorch(_ entry: CatalogItem) throws(DataFolioError) -> ItemPreview {
        .model(ModelPreview(
            modelType: entry.fields["model_type"]?.stringValue, format: "pytorch",
            hyperparameters: fields(entry.fields["hyperparameters"]?.objectValue),
            initArguments: fields(entry.fields["init_args"]?.objectValue),
            tensors: tensorList(try folio.get(entry.name) as TensorDictionary)))
    }

    private func fields(_ object: JSONObject?) -> [ReportField] {
        guard let object else { return [] }
        return object.members.prefix(limits.fields).map { ReportField(key: $0.key, value: Self.jsonText($0.value, limit: limits.cellCharacters * 2)) }
    }

    private func tensorList(_ tensors: TensorDictionary) -> TensorListPreview {
        TensorListPreview(
            tensors: tensors.entries.prefix(limits.tensors).map {
                TensorSummary(name: TextBounds.shortened($0.name, to: limits.cellCharacters * 2), dtype: $0.dtype.name, shape: $0.shape, byteCount: $0.byteCount)
            },
            totalCount: tensors.count, totalBytes: tensors.entries.reduce(0) { $0 + $1.byteCount })
    }

    // MARK: Files

    private mutating func file(_ entry: CatalogItem, size: Int?) throws(DataFolioError) -> ItemPreview {
        let category = entry.fields["category"]?.stringValue
        if entry.fields["is_directory"]?.boolValue == true {
            return .file(FilePreview(category: category, fileName: entry.filename, content: .folder(fileCount: entry.fields["file_count"]?.intValue)))
        }
        guard let path = entry.relativePayloadPath, let status = try folio.storage.status(path) else {
            throw DataFolioError(.fileNotFound, "the payload \(entry.relativePayloadPath ?? "") is missing")
        }
        // The beginning tells pictures from text; a picture is read whole only when it will be inlined.
        let headSize = min(status.size, max(limits.textBytes + 4, 4096))
        var bytes = headSize > 0 ? try folio.storage.read(path, range: 0..<headSize) : []
        let fileName = entry.filename ?? entry.name
        if FileSniffing.imageMediaType(bytes, fileName: fileName.lowercased()) != nil, status.size <= limits.imageBytes {
            if status.size > imageBudget {
                skippedPictures += 1
            } else if status.size > bytes.count {
                bytes = try folio.storage.read(path, range: 0..<status.size)
            }
        }
        let content = FilePreview.Content(fileName: fileName, bytes: bytes, fileSize: status.size, limits: limits, imageBudget: &imageBudget)
        return .file(FilePreview(category: category, fileName: entry.filename, content: content))
    }

    /// The folder of a local folio (absolute), else its location.
    static func root(of folio: DataFolio) -> String {
        (folio.storage as? LocalFolioStorage)?.root ?? folio.location
    }

    // MARK: Text

    static func jsonText(_ value: JSONValue, limit: Int) -> String {
        TextBounds.shortened(value.formatted(indented: false), to: limit)
    }

    static func changes(_ comparison: SnapshotComparison, limit: Int) -> ReportChanges {
        ReportChanges(
            from: comparison.from, to: comparison.to, added: comparison.added, removed: comparison.removed, modified: comparison.modified,
            metadataChanges: comparison.metadataChanges.map {
                ReportMetadataChange(key: $0.key, old: $0.old.map { jsonText($0, limit: limit) }, new: $0.new.map { jsonText($0, limit: limit) })
            })
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}

