extension Table {
    /// The rows where `keep` is true, in order; `keep` has one flag per row (a mask of
    /// another length traps, like an index out of range).
    ///
    /// ```swift
    /// let evens = table.filtered((0..<table.rowCount).map { $0 % 2 == 0 })
    /// ```
    public func filtered(_ keep: [Bool]) -> Table {
        precondition(keep.count == rowCount, "A row mask of \(keep.count) flags for a table of \(rowCount) rows")
        let rows = keep.indices.filter { keep[$0] }
        if rows.count == rowCount { return self }
        return Table(unchecked: columns.map { $0.gathering(rows) }, rowCount: rows.count, indexColumnNames: indexColumnNames)
    }
}

extension Column {
    /// A dictionary-encoded column as a plain column of its value type (other columns
    /// are returned as they are).
    ///
    /// ```swift
    /// let colour = Column(name: "colour", categories: ["red", nil, "red"])
    /// let plain = colour.decodingDictionary()   // a string column
    /// ```
    public func decodingDictionary() -> Column {
        guard case .dictionary(let indices, let dictionary) = data else { return self }
        // Null rows gather as nulls (index -1); null dictionary entries stay null.
        let rows = (0..<count).map { isNull($0) ? -1 : Int(indices[$0]) }
        return dictionary.gathering(rows).renamed(name)
    }
}
