/// How much of each item a report reads and shows. Every preview is bounded, so a
/// report stays small whatever the folio holds (2,000 items stay well under 5 MB).
///
/// ```swift
/// var limits = ReportLimits()
/// limits.tableRows = 10
/// let model = try ReportModel(folio: folio, limits: limits)
/// ```
public struct ReportLimits: Sendable, Hashable {
    /// The first rows shown for a table.
    public var tableRows = 5
    /// The most columns shown in a table's rows (the schema lists them all, up to ``tableSchemaColumns``).
    public var tableColumns = 8
    /// The most columns listed in a table's schema.
    public var tableSchemaColumns = 40
    /// The most characters of one cell, statistic or field value.
    public var cellCharacters = 60
    /// The most values sampled from an array for its statistics and histogram.
    public var arraySample = 100_000
    /// The number of histogram bins.
    public var histogramBins = 24
    /// The most characters of pretty-printed JSON.
    public var jsonCharacters = 3_000
    /// The largest JSON payload read for a preview, in bytes.
    public var jsonBytes = 1 << 20
    /// The most bytes of a text file shown.
    public var textBytes = 2_000
    /// The largest picture inlined, in bytes.
    public var imageBytes = 200_000
    /// The most bytes of pictures inlined in the whole report; later pictures are
    /// listed but not inlined.
    public var totalImageBytes = 800_000
    /// The most tensors listed per item.
    public var tensors = 20
    /// The most hyperparameters or init arguments listed per model, and metadata entries in the header.
    public var fields = 30
    /// The largest referenced table read in full for a preview, in bytes (a Parquet
    /// reference is read by its footer and first row group whatever its size).
    public var referencedTableBytes = 8 << 20
    /// The most nodes drawn in the report's lineage graph (a larger folio gets a note
    /// instead; `datafolio lineage --format svg` still draws every node).
    public var graphNodes = 5_000
    /// The characters of previews the whole report may hold, shared among its items:
    /// with many items each preview gets shorter (see ``fitted(toItemCount:)``).
    public var totalPreviewCharacters = 1_200_000

    /// The default limits.
    public init() {}

    /// These limits, tightened so that `itemCount` previews together stay within
    /// ``totalPreviewCharacters`` (unchanged while each item's share is generous).
    ///
    /// ```swift
    /// let limits = ReportLimits().fitted(toItemCount: 2_000)
    /// print(limits.tableRows, limits.jsonCharacters)   // 3 300
    /// ```
    public func fitted(toItemCount itemCount: Int) -> ReportLimits {
        let share = totalPreviewCharacters / max(itemCount, 1)
        guard share < 6_000 else { return self }
        var fitted = self
        fitted.jsonCharacters = min(jsonCharacters, max(share / 2, 200))
        fitted.textBytes = min(textBytes, max(share / 2, 200))
        fitted.tableColumns = min(tableColumns, max(share / 200, 3))
        fitted.tableRows = min(tableRows, max(share / (fitted.tableColumns * 60), 2))
        fitted.cellCharacters = min(cellCharacters, max(share / (fitted.tableColumns * (fitted.tableRows + 4)), 16))
        fitted.tableSchemaColumns = min(tableSchemaColumns, max(share / 100, 6))
        fitted.tensors = min(tensors, max(share / 150, 4))
        fitted.fields = min(fields, max(share / 150, 4))
        return fitted
    }
}
