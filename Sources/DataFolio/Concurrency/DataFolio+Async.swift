import DataFolioJSON
import DataFolioNumPy
import DataFolioParquet
import DataFolioSupport
import DataFolioTable
import DataFolioTensors
import Foundation

// The asynchronous API: every call that can wait — for the writer lock, the disk, a
// remote store or `git` — has an `async` form with the same name and arguments. It runs
// the work on a thread of its own, so a task awaiting it never holds a thread of the
// cooperative pool; the synchronous forms remain for scripts and command-line tools.
//
// ```swift
// let folio = try await DataFolio.open(at: "runs/a")
// try await folio.add("clean", table)
// let rows = try await folio.get("clean", as: [Customer].self)
// ```

extension DataFolio {
    /// Opens the folio at `location`, or creates it (see ``init(at:options:metadata:)-(String,_,_)``),
    /// without blocking the calling task's thread.
    public static func open(at location: String, options: OpenOptions = [], metadata: JSONObject = [:]) async throws(DataFolioError) -> DataFolio {
        try await BlockingWork.run { () throws(DataFolioError) in try DataFolio(at: location, options: options, metadata: metadata) }
    }

    /// Opens the folio kept in `storage` (see ``init(storage:options:metadata:)``), without
    /// blocking the calling task's thread.
    public static func open(storage: any FolioStorage, options: OpenOptions = [], metadata: JSONObject = [:]) async throws(DataFolioError) -> DataFolio {
        try await BlockingWork.run { () throws(DataFolioError) in try DataFolio(storage: storage, options: options, metadata: metadata) }
    }

    /// The asynchronous form of ``batch(_:)``: `body` runs on a thread of its own and may
    /// call the synchronous API.
    ///
    /// ```swift
    /// try await folio.batch { folio in
    ///     try folio.add("config", ["lr": 0.01])
    /// }
    /// ```
    @discardableResult
    public func batch<R: Sendable>(_ body: @escaping @Sendable (DataFolio) throws -> R) async throws -> R {
        try await BlockingWork.runUntyped { try self.batch(body) }
    }

    /// The asynchronous form of ``updateMetadata(_:)``.
    ///
    /// ```swift
    /// try await folio.updateMetadata { $0["experiment"] = "baseline" }
    /// ```
    public func updateMetadata(_ body: @escaping @Sendable (inout JSONObject) throws -> Void) async throws {
        try await BlockingWork.runUntyped { try self.updateMetadata(body) }
    }

    /// The asynchronous form of ``validate(progress:)-8tcan``: every payload is re-read.
    ///
    /// ```swift
    /// let report = await folio.validate()
    /// print(report.damagedItems)
    /// ```
    ///
    /// - Parameter progress: Called after every version and every few megabytes hashed.
    public func validate(progress: (@Sendable (ValidationProgress) -> Void)? = nil) async -> ValidationReport {
        (try? await BlockingWork.run { () throws(DataFolioError) in self.validate(progress: progress) })
            ?? ValidationReport(results: [])
    }

    /// The asynchronous form of ``describe(_:)``.
    ///
    /// ```swift
    /// print(await folio.describe())
    /// ```
    public func describe(_ options: DescribeOptions = DescribeOptions()) async -> String {
        (try? await BlockingWork.run { () throws(DataFolioError) in self.describe(options) }) ?? ""
    }

    /// Reads several items at once, concurrently (at most `maximumConcurrency` at a
    /// time), as Python's `get_many` does.
    ///
    /// ```swift
    /// let values = try await folio.getMany(["config", "embeddings", "clean"])
    /// print(values["embeddings"]?.array?.shape ?? [])
    /// ```
    ///
    /// - Throws: the first error met (for example `itemNotFound`); names are checked
    ///   before anything is read.
    public func getMany(_ names: [String], maximumConcurrency: Int = 8) async throws(DataFolioError) -> [String: ItemValue] {
        for name in names { _ = try requireItem(name) }
        let unique = Array(Set(names))
        var results = [String: ItemValue]()
        var start = 0
        while start < unique.count {
            let slice = unique[start..<min(unique.count, start + max(1, maximumConcurrency))]
            start += slice.count
            let read: [(String, Result<ItemValue, DataFolioError>)] = await withTaskGroup(of: (String, Result<ItemValue, DataFolioError>).self) { group in
                for name in slice {
                    group.addTask {
                        do throws(DataFolioError) {
                            return (name, .success(try await self.value(name)))
                        } catch {
                            return (name, .failure(error))
                        }
                    }
                }
                var collected = [(String, Result<ItemValue, DataFolioError>)]()
                for await entry in group { collected.append(entry) }
                return collected
            }
            for (name, result) in read { results[name] = try result.get() }
        }
        return results
    }

    /// The asynchronous form of ``add(_:_:description:inputs:overwrite:options:)-(_,Table,_,_,_,_)``.
    ///
    /// ```swift
    /// try await folio.add("clean", table, description: "Deduplicated rows")
    /// ```
    @discardableResult
    public func add(_ name: String, _ table: Table, description: String? = nil, inputs: [String] = [], overwrite: Bool = false, options: ParquetWriteOptions = ParquetWriteOptions()) async throws(DataFolioError) -> CatalogItem {
        try await BlockingWork.run { () throws(DataFolioError) in try self.add(name, table, description: description, inputs: inputs, overwrite: overwrite, options: options) }
    }

    /// The asynchronous form of ``add(_:rows:description:inputs:overwrite:)``.
    ///
    /// ```swift
    /// try await folio.add("customers", rows: customers)
    /// ```
    @discardableResult
    public func add<Row: Encodable & Sendable>(_ name: String, rows: [Row], description: String? = nil, inputs: [String] = [], overwrite: Bool = false) async throws(DataFolioError) -> CatalogItem {
        try await BlockingWork.run { () throws(DataFolioError) in try self.add(name, rows: rows, description: description, inputs: inputs, overwrite: overwrite) }
    }

    /// The asynchronous form of ``add(_:tableFile:description:inputs:overwrite:)``.
    ///
    /// ```swift
    /// try await folio.add("sales", tableFile: URL(fileURLWithPath: "exports/sales.parquet"))
    /// ```
    @discardableResult
    public func add(_ name: String, tableFile source: URL, description: String? = nil, inputs: [String] = [], overwrite: Bool = false) async throws(DataFolioError) -> CatalogItem {
        try await BlockingWork.run { () throws(DataFolioError) in try self.add(name, tableFile: source, description: description, inputs: inputs, overwrite: overwrite) }
    }

    /// The asynchronous form of ``add(_:_:description:inputs:overwrite:)-(_,NDArray,_,_,_)``.
    ///
    /// ```swift
    /// try await folio.add("embeddings", try NDArray(shape: [2, 2], [1, 2, 3, 4] as [Float]))
    /// ```
    @discardableResult
    public func add(_ name: String, _ array: NDArray, description: String? = nil, inputs: [String] = [], overwrite: Bool = false) async throws(DataFolioError) -> CatalogItem {
        try await BlockingWork.run { () throws(DataFolioError) in try self.add(name, array, description: description, inputs: inputs, overwrite: overwrite) }
    }

    /// The asynchronous form of ``add(_:_:description:inputs:overwrite:)-(_,JSONValue,_,_,_)``.
    ///
    /// ```swift
    /// try await folio.add("config", ["lr": 0.01, "layers": [64, 32]])
    /// ```
    @discardableResult
    public func add(_ name: String, _ value: JSONValue, description: String? = nil, inputs: [String] = [], overwrite: Bool = false) async throws(DataFolioError) -> CatalogItem {
        try await BlockingWork.run { () throws(DataFolioError) in try self.add(name, value, description: description, inputs: inputs, overwrite: overwrite) }
    }

    /// The asynchronous form of ``add(_:json:description:inputs:overwrite:)``.
    ///
    /// ```swift
    /// try await folio.add("settings", json: settings)
    /// ```
    @discardableResult
    public func add<Value: Encodable & Sendable>(_ name: String, json value: Value, description: String? = nil, inputs: [String] = [], overwrite: Bool = false) async throws(DataFolioError) -> CatalogItem {
        try await BlockingWork.run { () throws(DataFolioError) in try self.add(name, json: value, description: description, inputs: inputs, overwrite: overwrite) }
    }

    /// The asynchronous form of ``add(_:_:description:inputs:overwrite:)-(_,Date,_,_,_)``.
    ///
    /// ```swift
    /// try await folio.add("started", Date())
    /// ```
    @discardableResult
    public func add(_ name: String, _ date: Date, description: String? = nil, inputs: [String] = [], overwrite: Bool = false) async throws(DataFolioError) -> CatalogItem {
        try await BlockingWork.run { () throws(DataFolioError) in try self.add(name, date, description: description, inputs: inputs, overwrite: overwrite) }
    }

    /// The asynchronous form of ``add(_:_:metadata:description:inputs:overwrite:)``.
    ///
    /// ```swift
    /// try await folio.add("weights", tensors, metadata: ["epoch": "12"])
    /// ```
    @discardableResult
    public func add(_ name: String, _ tensors: TensorDictionary, metadata: [String: String] = [:], description: String? = nil, inputs: [String] = [], overwrite: Bool = false) async throws(DataFolioError) -> CatalogItem {
        try await BlockingWork.run { () throws(DataFolioError) in try self.add(name, tensors, metadata: metadata, description: description, inputs: inputs, overwrite: overwrite) }
    }

    /// The asynchronous form of ``add(_:model:hyperparameters:description:inputs:overwrite:)-2yb3s``.
    ///
    /// ```swift
    /// try await folio.add("classifier", model: classifier, hyperparameters: ["depth": 4])
    /// ```
    @discardableResult
    public func add<Model: Encodable & Sendable>(_ name: String, model: Model, hyperparameters: JSONObject? = nil, description: String? = nil, inputs: [String] = [], overwrite: Bool = false) async throws(DataFolioError) -> CatalogItem {
        try await BlockingWork.run { () throws(DataFolioError) in try self.add(name, model: model, hyperparameters: hyperparameters, description: description, inputs: inputs, overwrite: overwrite) }
    }

    /// The asynchronous form of ``add(_:model:hyperparameters:description:inputs:overwrite:)-(_,PyTorchModel,_,_,_,_)``.
    ///
    /// ```swift
    /// try await folio.add("net", model: PyTorchModel(stateDict: weights, modelClass: "Net"))
    /// ```
    @discardableResult
    public func add(_ name: String, model: PyTorchModel, hyperparameters: JSONObject? = nil, description: String? = nil, inputs: [String] = [], overwrite: Bool = false) async throws(DataFolioError) -> CatalogItem {
        try await BlockingWork.run { () throws(DataFolioError) in try self.add(name, model: model, hyperparameters: hyperparameters, description: description, inputs: inputs, overwrite: overwrite) }
    }

    /// The asynchronous form of ``add(_:file:category:description:inputs:overwrite:)``.
    ///
    /// ```swift
    /// try await folio.add("report", file: URL(fileURLWithPath: "out/report.pdf"))
    /// ```
    @discardableResult
    public func add(_ name: String, file source: URL, category: String? = nil, description: String? = nil, inputs: [String] = [], overwrite: Bool = false) async throws(DataFolioError) -> CatalogItem {
        try await BlockingWork.run { () throws(DataFolioError) in try self.add(name, file: source, category: category, description: description, inputs: inputs, overwrite: overwrite) }
    }

    /// The asynchronous form of ``add(_:reference:format:rowCount:version:description:inputs:overwrite:)``.
    ///
    /// ```swift
    /// try await folio.add("raw", reference: "s3://lab/raw/2026-11.parquet", format: .parquet)
    /// ```
    @discardableResult
    public func add(_ name: String, reference: String, format: TableFormat? = nil, rowCount: Int? = nil, version: Int? = nil, description: String? = nil, inputs: [String] = [], overwrite: Bool = false) async throws(DataFolioError) -> CatalogItem {
        try await BlockingWork.run { () throws(DataFolioError) in try self.add(name, reference: reference, format: format, rowCount: rowCount, version: version, description: description, inputs: inputs, overwrite: overwrite) }
    }

    /// The asynchronous form of ``value(_:)``.
    ///
    /// ```swift
    /// let value = try await folio.value("embeddings")
    /// print(value.array?.shape ?? [])
    /// ```
    public func value(_ name: String) async throws(DataFolioError) -> ItemValue {
        try await BlockingWork.run { () throws(DataFolioError) in try self.value(name) }
    }

    /// The asynchronous form of ``get(_:as:)-8cdom``.
    ///
    /// ```swift
    /// let clean = try await folio.get("clean", as: Table.self)
    /// ```
    public func get<Value: FolioReadable & Sendable>(_ name: String, as type: Value.Type = Value.self) async throws(DataFolioError) -> Value {
        try await BlockingWork.run { () throws(DataFolioError) in try self.get(name, as: Value.self) }
    }

    /// The asynchronous form of ``get(_:as:)-2y5ch``.
    ///
    /// ```swift
    /// let rows = try await folio.get("clean", as: [Customer].self)
    /// ```
    public func get<Value: Decodable & Sendable>(_ name: String, as type: Value.Type = Value.self) async throws(DataFolioError) -> Value {
        try await BlockingWork.run { () throws(DataFolioError) in try self.get(name, as: Value.self) }
    }

    /// The asynchronous form of ``get(_:as:columns:)``.
    ///
    /// ```swift
    /// let ids = try await folio.get("events", columns: ["user_id"])
    /// ```
    public func get(_ name: String, as type: Table.Type = Table.self, columns: [String]) async throws(DataFolioError) -> Table {
        try await BlockingWork.run { () throws(DataFolioError) in try self.get(name, columns: columns) }
    }

    /// The asynchronous form of ``get(_:as:memoryMapped:)``.
    ///
    /// ```swift
    /// let big = try await folio.get("embeddings", memoryMapped: true)
    /// ```
    public func get(_ name: String, as type: NDArray.Type = NDArray.self, memoryMapped: Bool) async throws(DataFolioError) -> NDArray {
        try await BlockingWork.run { () throws(DataFolioError) in try self.get(name, memoryMapped: memoryMapped) }
    }

    /// The asynchronous form of ``tableSchema(_:)``.
    ///
    /// ```swift
    /// let schema = try await folio.tableSchema("events")
    /// ```
    public func tableSchema(_ name: String) async throws(DataFolioError) -> TableSchema {
        try await BlockingWork.run { () throws(DataFolioError) in try self.tableSchema(name) }
    }

    /// The asynchronous form of ``delete(_:warnAboutDependents:)-([String],_)``.
    ///
    /// ```swift
    /// let warnings = try await folio.delete(["scratch", "tmp"])
    /// ```
    @discardableResult
    public func delete(_ names: [String], warnAboutDependents: Bool = true) async throws(DataFolioError) -> [FolioWarning] {
        try await BlockingWork.run { () throws(DataFolioError) in try self.delete(names, warnAboutDependents: warnAboutDependents) }
    }

    /// The asynchronous form of ``delete(_:warnAboutDependents:)-(String,_)``.
    ///
    /// ```swift
    /// try await folio.delete("scratch")
    /// ```
    @discardableResult
    public func delete(_ name: String, warnAboutDependents: Bool = true) async throws(DataFolioError) -> [FolioWarning] {
        try await BlockingWork.run { () throws(DataFolioError) in try self.delete(name, warnAboutDependents: warnAboutDependents) }
    }

    /// The asynchronous form of ``setMetadata(_:_:)``.
    ///
    /// ```swift
    /// try await folio.setMetadata("experiment", "baseline")
    /// ```
    public func setMetadata(_ key: String, _ value: JSONValue?) async throws(DataFolioError) {
        try await BlockingWork.run { () throws(DataFolioError) in try self.setMetadata(key, value) }
    }

    /// The asynchronous form of ``createSnapshot(_:description:tags:capture:)``.
    ///
    /// ```swift
    /// try await folio.createSnapshot("paper-v1", tags: ["paper"])
    /// ```
    @discardableResult
    public func createSnapshot(_ name: String, description: String? = nil, tags: [String] = [], capture: SnapshotCapture = [.git]) async throws(DataFolioError) -> SnapshotSummary {
        try await BlockingWork.run { () throws(DataFolioError) in try self.createSnapshot(name, description: description, tags: tags, capture: capture) }
    }

    /// The asynchronous form of ``deleteSnapshot(_:removingOrphans:)``.
    ///
    /// ```swift
    /// try await folio.deleteSnapshot("draft", removingOrphans: true)
    /// ```
    @discardableResult
    public func deleteSnapshot(_ name: String, removingOrphans: Bool = false) async throws(DataFolioError) -> GarbageCollection {
        try await BlockingWork.run { () throws(DataFolioError) in try self.deleteSnapshot(name, removingOrphans: removingOrphans) }
    }

    /// The asynchronous form of ``collectGarbage(dryRun:)``.
    ///
    /// ```swift
    /// let preview = try await folio.collectGarbage(dryRun: true)
    /// ```
    @discardableResult
    public func collectGarbage(dryRun: Bool = false) async throws(DataFolioError) -> GarbageCollection {
        try await BlockingWork.run { () throws(DataFolioError) in try self.collectGarbage(dryRun: dryRun) }
    }

    /// The asynchronous form of ``restoreSnapshot(_:)``.
    ///
    /// ```swift
    /// try await folio.restoreSnapshot("paper-v1")
    /// ```
    public func restoreSnapshot(_ name: String) async throws(DataFolioError) {
        try await BlockingWork.run { () throws(DataFolioError) in try self.restoreSnapshot(name) }
    }

    /// The asynchronous form of ``exportSnapshot(_:to:recordingSource:progress:)-59e84``.
    ///
    /// ```swift
    /// let standalone = try await folio.exportSnapshot("paper-v1", to: "release/paper-v1")
    /// ```
    @discardableResult
    public func exportSnapshot(
        _ name: String, to location: String, recordingSource: Bool = true, progress: (@Sendable (CopyProgress) -> Void)? = nil
    ) async throws(DataFolioError) -> DataFolio {
        try await BlockingWork.run { () throws(DataFolioError) in
            try self.exportSnapshot(name, to: location, recordingSource: recordingSource, progress: progress)
        }
    }

    /// The asynchronous form of ``readPayload(of:into:verifyingChecksum:)``.
    ///
    /// ```swift
    /// try await folio.readPayload(of: "clean", into: output)   // any Sendable ByteOutput
    /// ```
    public func readPayload(of name: String, into output: any ByteOutput & Sendable, verifyingChecksum: Bool = true) async throws(DataFolioError) {
        try await BlockingWork.run { () throws(DataFolioError) in try self.readPayload(of: name, into: output, verifyingChecksum: verifyingChecksum) }
    }

    /// The asynchronous form of ``copyFolderPayload(of:to:)``.
    ///
    /// ```swift
    /// try await folio.copyFolderPayload(of: "images", to: URL(fileURLWithPath: "out/images"))
    /// ```
    public func copyFolderPayload(of name: String, to destination: URL) async throws(DataFolioError) {
        try await BlockingWork.run { () throws(DataFolioError) in try self.copyFolderPayload(of: name, to: destination) }
    }

    /// The asynchronous form of ``refresh()``.
    ///
    /// ```swift
    /// try await folio.refresh()
    /// ```
    public func refresh() async throws(DataFolioError) {
        try await BlockingWork.run { () throws(DataFolioError) in try self.refresh() }
    }
}
