#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DataFolioSupport
import DataFolioZip

/// A `.npz` file opened for reading: a ZIP archive of `.npy` files, as written by
/// `np.savez` (entries stored) and `np.savez_compressed` (entries deflated).
///
/// Opening reads only the archive's directory; each array is read when asked for.
/// Array names are the entry names without `.npy`, in archive order; entries that
/// are not `.npy` files are ignored.
///
/// ```swift
/// let archive = try NPZArchive(contentsOfFile: "features.npz")
/// print(archive.names)                       // ["x", "y"]
/// let x = try archive.array(named: "x")
/// for (name, array) in try archive.arrays() { print(name, array.shape) }
/// ```
///
/// With `memoryMapped: true`, arrays of stored (uncompressed) entries share the
/// file's pages instead of being copied; compressed entries are always decompressed
/// into memory.
public struct NPZArchive: Sendable {
    /// The names of the arrays, in archive order.
    public let names: [String]
    /// Whether arrays of stored entries are views of the mapped file.
    public let isMemoryMapped: Bool
    private let zip: ZipArchive
    private let entries: [String: ZipEntry]

    /// Opens the `.npz` file at `path`.
    ///
    /// ```swift
    /// let archive = try NPZArchive(contentsOfFile: "features.npz", memoryMapped: true)
    /// ```
    ///
    /// - Parameters:
    ///   - path: The `.npz` file.
    ///   - memoryMapped: let arrays of stored entries share the file's pages
    ///     (no copy, no CRC check); otherwise they are copied and their CRC-32 checked.
    /// - Throws: `DataFolioError` when the file is missing or not a ZIP archive; the
    ///   error's `path` names the file.
    public init(contentsOfFile path: String, memoryMapped: Bool = false) throws(DataFolioError) {
        do throws(DataFolioError) {
            try self.init(zip: try ZipArchive(path: path), memoryMapped: memoryMapped)
        } catch {
            throw error.naming(path)
        }
    }

    /// Opens a `.npz` file held in memory.
    ///
    /// ```swift
    /// let archive = try NPZArchive(data: try NDArray.npzData([("x", x)]))
    /// print(archive.names)   // ["x"]
    /// ```
    public init(data: [UInt8]) throws(DataFolioError) {
        try self.init(zip: try ZipArchive(bytes: data), memoryMapped: false)
    }

    init(zip: ZipArchive, memoryMapped: Bool) throws(DataFolioError) {
        var names: [String] = []
        var entries: [String: ZipEntry] = [:]
        for entry in zip.entries where !entry.isDirectory && entry.name.hasSuffix(".npy") {
            let name = String(entry.name.dropLast(4))
            // A repeated name reads the last entry, as Python's zipfile does, but is
            // listed once, where it first appears.
            if entries.updateValue(entry, forKey: name) == nil { names.append(name) }
        }
        self.names = names
        self.entries = entries
        self.zip = zip
        self.isMemoryMapped = memoryMapped && zip.mappedFile != nil
    }

    /// Whether the archive holds an array called `name`.
    ///
    /// ```swift
    /// if archive.contains("labels") { let labels = try archive.array(named: "labels") }
    /// ```
    public func contains(_ name: String) -> Bool {
        entries[name] != nil
    }

    /// The header of the array called `name` (dtype, shape, order), read without
    /// loading the data. For compressed entries the entry is decompressed.
    ///
    /// ```swift
    /// let header = try archive.header(named: "x")   // shape and dtype, without the data
    /// print(header.shape, header.dtype)
    /// ```
    public func header(named name: String) throws(DataFolioError) -> NPYHeader {
        let entry = try self.entry(named: name)
        return try NPZArchive.inEntry(entry) { () throws(DataFolioError) in
            if let range = zip.storedDataRange(of: entry) {
                return try zip.withUnsafeBytes { archive throws(DataFolioError) in
                    try NPYHeader(parsing: UnsafeRawBufferPointer(rebasing: archive[range]))
                }
            }
            let bytes = try zip.contents(of: entry, maximumSize: NPZArchive.inflatedSizeLimit(entry))
            return try bytes.withBytes { raw throws(DataFolioError) in try NPYHeader(parsing: raw) }
        }
    }

    /// Reads the array called `name`.
    ///
    /// ```swift
    /// let x = try archive.array(named: "x")
    /// ```
    ///
    /// - Throws: `DataFolioError` with code `fileNotFound` when there is no such
    ///   array, and `corruptData` or `truncatedData` when its entry is damaged (bad
    ///   CRC-32, cut short, not a `.npy` file); the message names the entry.
    public func array(named name: String) throws(DataFolioError) -> NDArray {
        try readArray(try entry(named: name))
    }

    /// Reads every array, in archive order.
    ///
    /// ```swift
    /// for (name, array) in try archive.arrays() { print(name, array.shape) }
    /// ```
    public func arrays() throws(DataFolioError) -> [(name: String, array: NDArray)] {
        var result: [(name: String, array: NDArray)] = []
        result.reserveCapacity(names.count)
        for name in names {
            result.append((name, try array(named: name)))
        }
        return result
    }

    private func entry(named name: String) throws(DataFolioError) -> ZipEntry {
        guard let entry = entries[name] else {
            let known = names.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
            throw DataFolioError(.fileNotFound, "NPZ: there is no array named '\(name)'. The archive holds: \(known.isEmpty ? "no arrays" : known).")
        }
        return entry
    }

    private func readArray(_ entry: ZipEntry) throws(DataFolioError) -> NDArray {
        try NPZArchive.inEntry(entry) { () throws(DataFolioError) in
            guard let range = zip.storedDataRange(of: entry) else {
                // Decompressed bytes are parsed and copied into the array once more;
                // inflating costs far more than that copy.
                let bytes = try zip.contents(of: entry, maximumSize: NPZArchive.inflatedSizeLimit(entry))
                return try NDArray(npyData: bytes)
            }
            if isMemoryMapped, let file = zip.mappedFile {
                return try NDArray(npyMapping: file, offset: range.lowerBound, count: range.count)
            }
            return try zip.withUnsafeBytes { archive throws(DataFolioError) in
                try NPZArchive.copyCheckingCRC(UnsafeRawBufferPointer(rebasing: archive[range]), expected: entry.crc32)
            }
        }
    }

    /// Parses a stored `.npy` entry and copies its data into a new array, computing
    /// the entry's CRC-32 chunk by chunk as the bytes go by, while they are in cache.
    private static func copyCheckingCRC(_ entry: UnsafeRawBufferPointer, expected: UInt32) throws(DataFolioError) -> NDArray {
        let header = try NPYHeader(parsing: entry)
        try NDArray.checkDataFits(header, available: entry.count)
        var crc = CRC32()
        crc.update(UnsafeRawBufferPointer(rebasing: entry[0..<header.dataOffset]))
        let array = try NDArray(shape: header.shape, dtype: header.dtype, order: header.order) { buffer in
            let chunk = 1 << 20
            var offset = 0
            while offset < buffer.count {
                let end = min(buffer.count, offset + chunk)
                let target = UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<end])
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: entry[(header.dataOffset + offset)..<(header.dataOffset + end)]))
                crc.update(UnsafeRawBufferPointer(target))
                offset = end
            }
        }
        let end = header.dataOffset + header.dataByteCount
        crc.update(UnsafeRawBufferPointer(rebasing: entry[end...]))
        guard crc.value == expected else {
            throw DataFolioError.corrupt("NPZ", "the entry fails its CRC-32 check")
        }
        return array
    }

    /// DEFLATE cannot expand data more than 1032 times, so a larger claimed size is a
    /// lie, refused before any memory is set aside for it; and an entry larger than the
    /// machine's memory cannot be decompressed into it.
    static func inflatedSizeLimit(_ entry: ZipEntry) -> Int {
        let (bound, overflow) = entry.compressedSize.multipliedReportingOverflow(by: 1032)
        let physical = sysconf(Int32(_SC_PHYS_PAGES)) * sysconf(Int32(_SC_PAGESIZE))
        return min(overflow ? Int.max : bound + 1024, physical > 0 ? physical : Int.max)
    }

    /// Runs `body`, naming the entry in any error it throws.
    private static func inEntry<R>(_ entry: ZipEntry, _ body: () throws(DataFolioError) -> R) throws(DataFolioError) -> R {
        do {
            return try body()
        } catch {
            var named = error
            named.message = "NPZ entry '\(entry.name)': " + error.message
            throw named
        }
    }
}
