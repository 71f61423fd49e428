import Foundation

/// One item of a report: its catalog facts and a bounded preview of its content.
///
/// ```swift
/// let item = ReportItem(name: "config", kind: .json, inputs: ["raw"],
///                       preview: .json(JSONPreview(text: "{\"lr\": 0.01}")))
/// ```
public struct ReportItem: Sendable, Hashable {
    /// The item name.
    public var name: String
    /// What kind of item it is.
    public var kind: ReportItemKind
    /// The catalog's item type (`included_table`, `numpy_array`, …).
    public var typeName: String
    /// The one-sentence description.
    public var description: String?
    /// The payload size in bytes, when known.
    public var size: Int?
    /// When this version was written (UTC ISO 8601).
    public var created: String?
    /// The names of the items it was made from.
    public var inputs: [String]
    /// The names of the items made from it.
    public var dependents: [String]
    /// Where its data is: the payload's path inside the folio, or a referenced table's path or URI.
    public var location: String?
    /// Whether the item is archived (hidden from listings).
    public var isArchived: Bool
    /// What its content looks like.
    public var preview: ItemPreview

    /// An item.
    public init(
        name: String, kind: ReportItemKind, typeName: String? = nil, description: String? = nil, size: Int? = nil, created: String? = nil,
        inputs: [String] = [], dependents: [String] = [], location: String? = nil, isArchived: Bool = false, preview: ItemPreview = .none
    ) {
        self.name = name
        self.kind = kind
        self.typeName = typeName ?? kind.rawValue
        self.description = description
        self.size = size
        self.created = created
        self.inputs = inputs
        self.dependents = dependents
        self.location = location
        self.isArchived = isArchived
        self.preview = preview
    }
}

/// The kinds of items a report tells apart (each has its colour in the lineage graph).
///
/// ```swift
/// print(ReportItemKind.table.displayName)   // "table"
/// ```
public enum ReportItemKind: String, Sendable, Hashable, CaseIterable {
    /// A table stored in the folio.
    case table
    /// A table kept outside the folio (a path or URI).
    case referencedTable = "reference"
    /// An n-dimensional array.
    case array
    /// A JSON value.
    case json
    /// A point in time.
    case timestamp
    /// A set of named tensors (safetensors).
    case tensors
    /// A model (Swift `Codable`, or scikit-learn from Python).
    case model
    /// PyTorch weights.
    case pytorch
    /// Any other file or folder.
    case file
    /// An item type this version does not know.
    case other

    /// A short human name.
    public var displayName: String {
        switch self {
        case .table: "table"
        case .referencedTable: "referenced table"
        case .array: "array"
        case .json: "JSON"
        case .timestamp: "timestamp"
        case .tensors: "tensor set"
        case .model: "model"
        case .pytorch: "PyTorch model"
        case .file: "file"
        case .other: "other"
        }
    }
}

/// What a report shows of an item's content. Every preview is bounded (see
/// ``ReportLimits``), whatever the size of the item.
///
/// ```swift
/// switch item.preview {
/// case .table(let table): print(table.rowCount ?? 0)
/// case .unavailable(let reason): print(reason)
/// default: break
/// }
/// ```
public enum ItemPreview: Sendable, Hashable {
    /// Nothing to show beyond the catalog facts.
    case none
    /// The content could not be read; why.
    case unavailable(String)
    /// A table's schema, statistics and first rows.
    case table(TablePreview)
    /// An array's shape, dtype and statistics.
    case array(ArrayPreview)
    /// A JSON value, pretty-printed.
    case json(JSONPreview)
    /// A point in time.
    case timestamp(TimestampPreview)
    /// A model's type, settings and tensors.
    case model(ModelPreview)
    /// A tensor set's tensors.
    case tensors(TensorListPreview)
    /// A file's content: a picture or text.
    case file(FilePreview)
}

/// A table's schema with per-column statistics, and its first rows.
///
/// ```swift
/// let preview = TablePreview(rowCount: 3, columns: [TableColumnSummary(name: "id", type: "int64")],
///                            headRows: [["1"], ["2"]])
/// ```
public struct TablePreview: Sendable, Hashable {
    /// Where the statistics come from.
    ///
    /// ```swift
    /// if preview.statisticsSource == .parquetStatistics { print("from the file's footer") }
    /// ```
    public enum StatisticsSource: String, Sendable, Hashable {
        /// The Parquet file's column-chunk statistics.
        case parquetStatistics
        /// Computed from the rows (the whole table was read).
        case data
        /// No statistics.
        case none
    }

    /// The number of rows, when known.
    public var rowCount: Int?
    /// Every column, with its statistics when known.
    public var columns: [TableColumnSummary]
    /// Where ``TableColumnSummary/nullCount`` and the bounds come from.
    public var statisticsSource: StatisticsSource
    /// The columns shown in ``headRows`` (the first ones, bounded).
    public var headColumns: [String]
    /// The first rows: one text per shown column, `nil` for null.
    public var headRows: [[String?]]
    /// A sentence about what could not be shown, if anything.
    public var note: String?

    /// A table preview.
    public init(
        rowCount: Int?, columns: [TableColumnSummary], statisticsSource: StatisticsSource = .none, headColumns: [String]? = nil,
        headRows: [[String?]] = [], note: String? = nil
    ) {
        self.rowCount = rowCount
        self.columns = columns
        self.statisticsSource = statisticsSource
        self.headColumns = headColumns ?? columns.map(\.name)
        self.headRows = headRows
        self.note = note
    }
}

/// One column of a table preview.
///
/// ```swift
/// let column = TableColumnSummary(name: "reading", type: "double", nullCount: 1, minimum: "1.5", maximum: "2.25")
/// ```
public struct TableColumnSummary: Sendable, Hashable {
    /// The column name.
    public var name: String
    /// The type as pyarrow prints it (`int64`, `string`, `timestamp[us, tz=UTC]`).
    public var type: String
    /// The number of nulls, when known.
    public var nullCount: Int?
    /// The smallest value as text, when known.
    public var minimum: String?
    /// The largest value as text, when known.
    public var maximum: String?
    /// Whether the column is a stored pandas index.
    public var isIndex: Bool

    /// A column summary.
    public init(name: String, type: String, nullCount: Int? = nil, minimum: String? = nil, maximum: String? = nil, isIndex: Bool = false) {
        self.name = name
        self.type = type
        self.nullCount = nullCount
        self.minimum = minimum
        self.maximum = maximum
        self.isIndex = isIndex
    }
}

/// An array's shape and dtype, with statistics of its values.
///
/// ```swift
/// let preview = ArrayPreview(shape: [4, 3], dtype: "float32")
/// ```
public struct ArrayPreview: Sendable, Hashable {
    /// The shape.
    public var shape: [Int]
    /// The NumPy dtype name.
    public var dtype: String
    /// Statistics of the numeric values (all of them, or an evenly spaced sample).
    public var statistics: NumericSummary?
    /// The first values as text, for arrays of text or other non-numeric dtypes.
    public var firstValues: [String]
    /// A sentence about what could not be shown, if anything.
    public var note: String?

    /// An array preview.
    public init(shape: [Int], dtype: String, statistics: NumericSummary? = nil, firstValues: [String] = [], note: String? = nil) {
        self.shape = shape
        self.dtype = dtype
        self.statistics = statistics
        self.firstValues = firstValues
        self.note = note
    }
}

/// Statistics of numbers: count, bounds, mean and a histogram.
///
/// ```swift
/// let summary = NumericSummary(values: [1, 2, 3, 4], totalCount: 4)
/// print(summary.mean ?? 0)   // 2.5
/// ```
public struct NumericSummary: Sendable, Hashable {
    /// How many values the statistics were computed from.
    public var sampledCount: Int
    /// How many values there are in all.
    public var totalCount: Int
    /// The smallest finite value.
    public var minimum: Double?
    /// The largest finite value.
    public var maximum: Double?
    /// The mean of the finite values.
    public var mean: Double?
    /// How many values are NaN.
    public var nanCount: Int
    /// How many values are infinite.
    public var infiniteCount: Int
    /// Counts of the finite values in equal-width bins from ``minimum`` to ``maximum``.
    public var histogram: [Int]

    /// Whether the statistics come from a sample rather than every value.
    public var isSampled: Bool { sampledCount < totalCount }

    /// A summary with the given figures.
    public init(
        sampledCount: Int, totalCount: Int, minimum: Double?, maximum: Double?, mean: Double?, nanCount: Int = 0, infiniteCount: Int = 0,
        histogram: [Int] = []
    ) {
        self.sampledCount = sampledCount
        self.totalCount = totalCount
        self.minimum = minimum
        self.maximum = maximum
        self.mean = mean
        self.nanCount = nanCount
        self.infiniteCount = infiniteCount
        self.histogram = histogram
    }

    /// Computes the summary of `values` (a sample of `totalCount` values) with `bins`
    /// histogram bins. NaN and infinite values are counted, not summarised.
    ///
    /// ```swift
    /// let summary = NumericSummary(values: [0, 1, .nan, 3], totalCount: 1_000, bins: 3)
    /// print(summary.histogram, summary.nanCount, summary.isSampled)   // [1, 1, 1] 1 true
    /// ```
    public init(values: [Double], totalCount: Int? = nil, bins: Int = 24) {
        var minimum = Double.infinity
        var maximum = -Double.infinity
        var sum = 0.0
        var finite = 0
        var nans = 0
        var infinities = 0
        for value in values {
            if value.isNaN {
                nans += 1
            } else if value.isInfinite {
                infinities += 1
            } else {
                minimum = Swift.min(minimum, value)
                maximum = Swift.max(maximum, value)
                sum += value
                finite += 1
            }
        }
        var histogram = [Int]()
        if finite > 0 && bins > 0 {
            histogram = [Int](repeating: 0, count: bins)
            let span = maximum - minimum
            for value in values where value.isFinite {
                var bin = 0
                if span > 0 && span.isFinite {
                    let scaled = (value - minimum) / span * Double(bins)
                    bin = scaled.isFinite ? Swift.min(Swift.max(Int(scaled), 0), bins - 1) : 0
                }
                histogram[bin] += 1
            }
        }
        self.init(
            sampledCount: values.count, totalCount: Swift.max(totalCount ?? values.count, values.count),
            minimum: finite > 0 ? minimum : nil, maximum: finite > 0 ? maximum : nil,
            mean: finite > 0 ? sum / Double(finite) : nil, nanCount: nans, infiniteCount: infinities, histogram: histogram)
    }
}

/// A JSON value as indented text.
///
/// ```swift
/// let preview = JSONPreview(text: "{\n  \"lr\": 0.01\n}", typeName: "dict")
/// ```
public struct JSONPreview: Sendable, Hashable {
    /// The indented text (shortened when long).
    public var text: String
    /// The Python type of the top-level value (`dict`, `list`, `float`, …).
    public var typeName: String?
    /// How many characters were cut from the end (0 when nothing was).
    public var omittedCharacters: Int

    /// A JSON preview.
    public init(text: String, typeName: String? = nil, omittedCharacters: Int = 0) {
        self.text = text
        self.typeName = typeName
        self.omittedCharacters = omittedCharacters
    }

    /// The number of lines of ``text``.
    public var lineCount: Int { text.reduce(1) { $1 == "\n" ? $0 + 1 : $0 } }
}

/// A point in time.
///
/// ```swift
/// let preview = TimestampPreview(iso: "2026-11-26T12:00:00Z")
/// ```
public struct TimestampPreview: Sendable, Hashable {
    /// The time in UTC, ISO 8601.
    public var iso: String

    /// A timestamp preview.
    public init(iso: String) { self.iso = iso }
}

/// A model's type, format, settings and (for PyTorch) tensors.
///
/// ```swift
/// let preview = ModelPreview(modelType: "ThresholdModel", format: "json",
///                            hyperparameters: [ReportField(key: "metric", value: "\"f1\"")])
/// ```
public struct ModelPreview: Sendable, Hashable {
    /// The model's type or class name.
    public var modelType: String?
    /// How it is stored (`json`, `joblib`, `skops`, `pytorch`).
    public var format: String?
    /// The recorded hyperparameters, values as JSON text.
    public var hyperparameters: [ReportField]
    /// The arguments that rebuild a PyTorch module, values as JSON text.
    public var initArguments: [ReportField]
    /// The tensors of a PyTorch state dict.
    public var tensors: TensorListPreview?
    /// The stored form of a Swift `Codable` model.
    public var body: JSONPreview?
    /// A sentence about the model (for example that only Python can load it).
    public var note: String?

    /// A model preview.
    public init(
        modelType: String? = nil, format: String? = nil, hyperparameters: [ReportField] = [], initArguments: [ReportField] = [],
        tensors: TensorListPreview? = nil, body: JSONPreview? = nil, note: String? = nil
    ) {
        self.modelType = modelType
        self.format = format
        self.hyperparameters = hyperparameters
        self.initArguments = initArguments
        self.tensors = tensors
        self.body = body
        self.note = note
    }
}

/// A list of tensors (the first ones, bounded) with totals.
///
/// ```swift
/// let list = TensorListPreview(tensors: [TensorSummary(name: "fc.bias", dtype: "float32", shape: [2], byteCount: 8)],
///                              totalCount: 1, totalBytes: 8)
/// ```
public struct TensorListPreview: Sendable, Hashable {
    /// The first tensors.
    public var tensors: [TensorSummary]
    /// How many tensors there are in all.
    public var totalCount: Int
    /// Their total size in bytes.
    public var totalBytes: Int

    /// A tensor list.
    public init(tensors: [TensorSummary], totalCount: Int, totalBytes: Int) {
        self.tensors = tensors
        self.totalCount = totalCount
        self.totalBytes = totalBytes
    }
}

/// One tensor: name, dtype, shape and size.
///
/// ```swift
/// let tensor = TensorSummary(name: "fc.weight", dtype: "float32", shape: [2, 3], byteCount: 24)
/// ```
public struct TensorSummary: Sendable, Hashable {
    /// The tensor's name in its dictionary.
    public var name: String
    /// The dtype name.
    public var dtype: String
    /// The shape.
    public var shape: [Int]
    /// The size in bytes.
    public var byteCount: Int

    /// A tensor summary.
    public init(name: String, dtype: String, shape: [Int], byteCount: Int) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.byteCount = byteCount
    }
}

/// A file's category and a look at its content.
///
/// ```swift
/// let preview = FilePreview(fileName: "notes.md", content: .text("# Notes", omittedBytes: 0))
/// ```
public struct FilePreview: Sendable, Hashable {
    /// What the report shows of the content.
    ///
    /// ```swift
    /// if case .image(let mediaType, let bytes) = preview.content { print(mediaType, bytes.count) }
    /// ```
    public enum Content: Sendable, Hashable {
        /// Nothing (with the reason).
        case none(String)
        /// A picture, inlined: its media type (`image/png`, `image/jpeg`, `image/svg+xml`) and bytes.
        case image(mediaType: String, bytes: [UInt8])
        /// The beginning of a text file and how many bytes were left out.
        case text(String, omittedBytes: Int)
        /// A folder: how many files it holds.
        case folder(fileCount: Int?)
    }

    /// The free-form category (`plots`, `docs`, …).
    public var category: String?
    /// The stored file's name.
    public var fileName: String?
    /// What the report shows.
    public var content: Content

    /// A file preview.
    public init(category: String? = nil, fileName: String? = nil, content: Content) {
        self.category = category
        self.fileName = fileName
        self.content = content
    }
}
