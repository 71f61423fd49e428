import DataFolioJSON
import DataFolioSupport
import Foundation

/// The file formats a referenced table can have.
public enum TableFormat: String, Sendable, CaseIterable {
    /// Apache Parquet (a file or a folder of shards).
    case parquet
    /// Comma-separated values.
    case csv
}

extension DataFolio {
    /// Records a table that stays outside the folio: a local file or folder, or a cloud
    /// URI (`s3://`, `gs://`, `az://`, `https://`, …). Nothing is copied; the folio keeps
    /// the location, and reading it reads the current external data.
    ///
    /// ```swift
    /// try folio.add("raw", reference: "s3://lab/raw/2026-11.parquet", description: "November export")
    /// try folio.add("local", reference: "data/sales.csv")          // becomes file:///…/data/sales.csv
    /// ```
    ///
    /// - Parameters:
    ///   - name: The item name.
    ///   - reference: A path or URI. A local path is stored as an absolute `file://` URI.
    ///   - format: `.parquet` or `.csv`; `nil` infers it from the extension (default Parquet).
    ///   - rowCount: The number of rows, if known (recorded as `num_rows`).
    ///   - version: A version number of the source, if it has one.
    ///   - description: What the table is, for people reading the folio.
    ///   - inputs: The names of the items it was made from.
    ///   - overwrite: Replace an existing item of that name.
    @discardableResult
    public func add(
        _ name: String, reference: String, format: TableFormat? = nil, rowCount: Int? = nil, version: Int? = nil,
        description: String? = nil, inputs: [String] = [], overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        let location = ReferenceLocation(reference)
        let lowered = reference.lowercased()
        if lowered.contains("_delta_log") || lowered.hasSuffix(".delta") || lowered.hasSuffix(".iceberg") {
            throw DataFolioError(.unsupportedFeature, "Delta and Iceberg tables cannot be referenced; reference their Parquet files or export them as CSV.")
        }
        let tableFormat = format ?? (lowered.hasSuffix(".csv") || lowered.hasSuffix(".csv.gz") ? .csv : .parquet)
        let isDirectory: Bool
        switch location {
        case .local(let path):
            isDirectory = (try LocalFile.status(path))?.isDirectory ?? false
        case .remote(let uri):
            isDirectory = uri.hasSuffix("/")
        }
        let new = NewItem(name: name, kind: .referencedTable, description: description, inputs: inputs, overwrite: overwrite, fileExtension: nil)
        return try addItem(new) { _, _ in
            var extras: JSONObject = [:]
            if isDirectory { extras["polars_only"] = .bool(true) }
            if let rowCount { extras["num_rows"] = .int(Int64(rowCount)) }
            if let version { extras["version"] = .int(Int64(version)) }
            return KindFields(
                fields: [
                    "path": .string(location.uri),
                    "table_format": .string(tableFormat.rawValue),
                    "is_directory": .bool(isDirectory),
                    "mutable": .bool(true),
                    "created_at": .string(ISOTimestamp.now()),
                ],
                extras: extras)
        }
    }
}

/// Where a referenced table lives.
enum ReferenceLocation: Equatable {
    case local(String)
    case remote(String)

    static let remoteSchemes = ["s3://", "gs://", "gcs://", "az://", "azure://", "abfs://", "http://", "https://"]

    /// Classifies a user-given path or URI; relative local paths are made absolute
    /// against the current folder.
    init(_ reference: String) {
        if ReferenceLocation.remoteSchemes.contains(where: { reference.lowercased().hasPrefix($0) }) {
            self = .remote(reference)
        } else {
            self = .local(LocalPaths.absolute(reference))
        }
    }

    /// Resolves a stored `path`: `file://` URIs and absolute paths are local, legacy
    /// relative paths are relative to the folio folder.
    init(stored: String, folioRoot: String) {
        if stored.hasPrefix("file://") {
            self = .local(String(stored.dropFirst(7)).removingPercentEncoding ?? String(stored.dropFirst(7)))
        } else if ReferenceLocation.remoteSchemes.contains(where: { stored.lowercased().hasPrefix($0) }) {
            self = .remote(stored)
        } else if stored.hasPrefix("/") {
            self = .local(stored)
        } else {
            self = .local(LocalPaths.absolute(folioRoot + "/" + stored))
        }
    }

    /// The form stored in the catalog.
    var uri: String {
        switch self {
        case .local(let path): return "file://" + path
        case .remote(let uri): return uri
        }
    }
}

/// `referenced_table` items: a table outside the folio.
enum ReferenceItem: ItemHandler {
    static let kind = ItemKind.referencedTable
    static let describeSection = DescribeSection.tables

    static func location(of item: CatalogItem, in folio: DataFolio) throws(DataFolioError) -> ReferenceLocation {
        guard let stored = item.referencePath else {
            throw DataFolioError(.corruptData, "Referenced table '\(item.name)' has no 'path' in the catalog.")
        }
        return ReferenceLocation(stored: stored, folioRoot: (folio.storage as? LocalFolioStorage)?.root ?? folio.location)
    }

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue.Content {
        .table(try TableItem.table(of: item, in: folio, columns: nil))
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        var lines = ["path: \(item.referencePath ?? "")"]
        if !item.inputs.isEmpty { lines.append("inputs: " + item.inputs.joined(separator: ", ")) }
        return lines
    }

    static func validate(_ item: CatalogItem, in folio: DataFolio, meter: ValidationMeter?) -> PayloadVerdict {
        guard let location = try? location(of: item, in: folio) else { return .invalid("it has no path") }
        switch location {
        case .local(let path):
            return (try? LocalFile.status(path)) != nil ? .valid : .invalid("the referenced data is missing (\(path))")
        case .remote(let uri):
            return .unchecked("remote data (\(uri)) is not checked")
        }
    }
}

extension ReferenceItem {
    /// Reads a referenced table: a Parquet file, a folder of Parquet shards, or a CSV
    /// file — on the local disk, or at a location a registered store opens (`s3://`,
    /// `https://`), read by byte range.
    static func readTable(_ item: CatalogItem, in folio: DataFolio, columns: [String]?) throws(DataFolioError) -> Table {
        let format = item.fields["table_format"]?.stringValue ?? "parquet"
        switch try location(of: item, in: folio) {
        case .remote(let uri):
            return try readRemoteTable(uri, format: format, isDirectory: item.fields["is_directory"]?.boolValue ?? false, item: item, columns: columns)
        case .local(let path):
            guard let status = try LocalFile.status(path) else {
                throw DataFolioError(.fileNotFound, "File not found: \(item.referencePath ?? path) (the data referenced by '\(item.name)').", path: path)
            }
            var table: Table
            if format == "csv" {
                table = try Table(csvFile: path)
                if let columns { table = try table.selecting(columns) }
            } else if status.isDirectory {
                let shards = try shardFiles(in: LocalFolioStorage(path: path), folder: "")
                guard !shards.isEmpty else {
                    throw DataFolioError(.fileNotFound, "The folder '\(path)' referenced by '\(item.name)' holds no Parquet files.", path: path)
                }
                table = try Table(concatenating: shards.map { shard throws(DataFolioError) in
                    try ParquetReader(path: path + "/" + shard).readTable(columns: columns)
                })
            } else {
                table = try ParquetReader(path: path).readTable(columns: columns)
            }
            return table
        }
    }

    /// Reads a table at a remote location through the store registered for its scheme.
    static func readRemoteTable(_ uri: String, format: String, isDirectory: Bool, item: CatalogItem, columns: [String]?) throws(DataFolioError) -> Table {
        let trimmed = uri.hasSuffix("/") ? String(uri.dropLast()) : uri
        if isDirectory || uri.hasSuffix("/") {
            let storage = try FolioLocations.storage(for: trimmed)
            let shards = try shardFiles(in: storage, folder: "")
            guard !shards.isEmpty else {
                throw DataFolioError(.fileNotFound, "The folder '\(uri)' referenced by '\(item.name)' holds no Parquet files.", path: uri)
            }
            return try Table(concatenating: shards.map { shard throws(DataFolioError) in
                try ParquetReader(source: try source(shard, in: storage)).readTable(columns: columns)
            })
        }
        guard let slash = trimmed.lastIndex(of: "/") else {
            throw DataFolioError(.invalidArgument, "'\(uri)' (referenced by '\(item.name)') names no object.", path: uri)
        }
        let storage = try FolioLocations.storage(for: String(trimmed[..<slash]))
        let name = String(trimmed[trimmed.index(after: slash)...])
        if format == "csv" {
            var table = try Table(csv: try storage.read(name))
            if let columns { table = try table.selecting(columns) }
            return table
        }
        return try ParquetReader(source: try source(name, in: storage)).readTable(columns: columns)
    }

    private static func source(_ path: String, in storage: any FolioStorage) throws(DataFolioError) -> StorageByteSource {
        guard let status = try storage.status(path), status.kind == .object else {
            throw DataFolioError(.fileNotFound, "No object '\(path)' at \(storage.location).", path: path)
        }
        return StorageByteSource(storage: storage, path: path, size: status.size)
    }

    /// The `.parquet` objects under a folder (recursively, as Hive-style partitions
    /// nest), sorted, skipping hidden and `_`-prefixed entries as pyarrow does.
    static func shardFiles(in storage: any FolioStorage, folder: String) throws(DataFolioError) -> [String] {
        var files = [String]()
        for entry in try storage.list(folder) where !entry.name.hasPrefix(".") && !entry.name.hasPrefix("_") {
            if entry.kind == .folder {
                files += try shardFiles(in: storage, folder: entry.path)
            } else if entry.kind == .object && entry.name.hasSuffix(".parquet") {
                files.append(entry.path)
            }
        }
        return files
    }
}
