import DataFolioSupport
import DataFolioZip

// MARK: Reading

extension NDArray {
    /// Reads every array of a `.npz` file, in archive order.
    ///
    /// ```swift
    /// for (name, array) in try NDArray.readNPZ("features.npz") {
    ///     print(name, array.dtype, array.shape)
    /// }
    /// ```
    ///
    /// See ``NPZArchive`` to read single arrays or headers.
    public static func readNPZ(_ path: String, memoryMapped: Bool = false) throws(DataFolioError) -> [(name: String, array: NDArray)] {
        try NPZArchive(contentsOfFile: path, memoryMapped: memoryMapped).arrays()
    }

    /// Reads every array of a `.npz` file held in memory, in archive order.
    ///
    /// ```swift
    /// for (name, array) in try NDArray.readNPZ(data: bytes) { print(name, array.dtype) }
    /// ```
    public static func readNPZ(data: [UInt8]) throws(DataFolioError) -> [(name: String, array: NDArray)] {
        try NPZArchive(data: data).arrays()
    }
}

// MARK: Writing

extension NDArray {
    /// The bytes of a `.npz` file holding `arrays` under their names, like
    /// `np.savez` (or `np.savez_compressed` with `compressed: true`).
    ///
    /// ```swift
    /// let data = try NDArray.npzData([("x", x), ("y", y)], compressed: true)
    /// // Python: np.load(io.BytesIO(data))["x"]
    /// ```
    ///
    /// - Throws: `DataFolioError` for an empty or repeated name, or an array numpy
    ///   cannot represent (bfloat16).
    public static func npzData(_ arrays: [(name: String, array: NDArray)], compressed: Bool = false) throws(DataFolioError) -> [UInt8] {
        let zip = ZipWriter()
        try writeNPZ(arrays, into: zip, compressed: compressed)
        return try zip.finish()
    }

    /// Streams a `.npz` file into an output (a file, a folio payload, memory),
    /// writing each array's bytes straight from its memory.
    ///
    /// ```swift
    /// let output = MemoryOutput()
    /// try NDArray.writeNPZ([("x", x), ("y", y)], to: output)
    /// ```
    public static func writeNPZ(
        _ arrays: [(name: String, array: NDArray)], to writer: any ByteOutput, compressed: Bool = false
    ) throws(DataFolioError) {
        let zip = ZipWriter(writingTo: writer)
        try writeNPZ(arrays, into: zip, compressed: compressed)
        try zip.finish()
    }

    /// Writes a `.npz` file at `path`, replacing any file there, like `np.savez`
    /// (or `np.savez_compressed` with `compressed: true`).
    ///
    /// An existing file is removed before the new one is created, so arrays still
    /// memory-mapped from it stay valid.
    ///
    /// ```swift
    /// try NDArray.writeNPZ([("x", x), ("y", y)], toFile: "features.npz", compressed: true)
    /// ```
    public static func writeNPZ(
        _ arrays: [(name: String, array: NDArray)], toFile path: String, compressed: Bool = false, sync: Bool = false
    ) throws(DataFolioError) {
        try validateNPZ(arrays)
        try replacingFile(at: path, sync: sync) { writer throws(DataFolioError) in
            try writeNPZ(arrays, to: writer, compressed: compressed)
        }
    }

    private static func writeNPZ(_ arrays: [(name: String, array: NDArray)], into zip: ZipWriter, compressed: Bool) throws(DataFolioError) {
        try validateNPZ(arrays)
        for (name, array) in arrays {
            // Stored entries start their data on a 64-byte boundary, so the array data
            // that follows the 64-byte-aligned .npy header can be mapped aligned.
            try zip.beginEntry(named: name + ".npy", method: compressed ? .deflate : .stored, alignment: compressed ? 1 : 64)
            try array.writeNPY { chunk throws(DataFolioError) in try zip.writeEntryData(chunk) }
            try zip.endEntry()
        }
    }

    /// Refuses what cannot be written before any byte is.
    private static func validateNPZ(_ arrays: [(name: String, array: NDArray)]) throws(DataFolioError) {
        var seen = Set<String>()
        for (name, array) in arrays {
            guard !name.isEmpty else {
                throw DataFolioError(.invalidArgument, "NPZ: an array name cannot be empty.")
            }
            guard seen.insert(name).inserted else {
                throw DataFolioError(.invalidArgument, "NPZ: the name '\(name)' is used twice; each array needs its own name.")
            }
            _ = try array.npyHeader()
        }
    }
}
