import DataFolioSupport

/// What the central directory records about an entry.
struct ZipRecord {
    var name: [UInt8]
    var method: ZipCompressionMethod
    /// The general-purpose flags, exactly as in the local header.
    var flags: UInt16
    var crc: UInt32
    var compressedSize: Int
    var uncompressedSize: Int
    var localHeaderOffset: Int
}

// The byte layouts of the records, for both record styles (APPNOTE 4.3).
extension ZipWriter {
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1  // 1980-01-01
    private static let dosTime: UInt16 = 0

    // MARK: Local headers

    /// A local header in Python `zipfile`'s style; `zip64` puts the sizes in a ZIP64 field.
    func standardLocalHeader(
        name: [UInt8], method: ZipCompressionMethod, flags: UInt16, crc: UInt32, compressedSize: Int,
        uncompressedSize: Int, zip64: Bool
    ) -> ByteWriter {
        var header = ByteWriter(capacity: 30 + name.count + 20)
        header.appendLE(UInt32(0x0403_4B50))
        header.appendLE(UInt16(zip64 ? 45 : method == .deflate ? 20 : 10))
        header.appendLE(flags | Self.utf8Flag(name))
        header.appendLE(method.rawValue)
        header.appendLE(Self.dosTime)
        header.appendLE(Self.dosDate)
        header.appendLE(crc)
        header.appendLE(zip64 ? UInt32(0xFFFF_FFFF) : UInt32(compressedSize))
        header.appendLE(zip64 ? UInt32(0xFFFF_FFFF) : UInt32(uncompressedSize))
        header.appendLE(UInt16(name.count))
        header.appendLE(UInt16(zip64 ? 20 : 0))
        header.append(contentsOf: name)
        if zip64 {
            header.appendLE(UInt16(0x0001))
            header.appendLE(UInt16(16))
            header.appendLE(UInt64(uncompressedSize))
            header.appendLE(UInt64(compressedSize))
        }
        return header
    }

    /// A local header in PyTorch's style: CRC-32 and sizes zero, with a ZIP64 field
    /// holding `zip64Values` when there are any.
    func pytorchLocalHeader(name: [UInt8], method: ZipCompressionMethod, flags: UInt16, zip64Values: [Int]) -> ByteWriter {
        var header = ByteWriter(capacity: 30 + name.count + 28)
        header.appendLE(UInt32(0x0403_4B50))
        header.appendLE(UInt16(method == .deflate ? 20 : 0))
        header.appendLE(flags)
        header.appendLE(method.rawValue)
        header.appendLE(UInt32(0))  // time and date
        header.appendLE(UInt32(0))  // CRC-32
        header.appendLE(UInt32(0))  // compressed size
        header.appendLE(UInt32(0))  // uncompressed size
        header.appendLE(UInt16(name.count))
        header.appendLE(UInt16(zip64Values.isEmpty ? 0 : 4 + 8 * zip64Values.count))
        header.append(contentsOf: name)
        Self.appendZip64Field(zip64Values, to: &header)
        return header
    }

    /// Grows the local header's extra field so the data after it starts at a multiple
    /// of `alignment` bytes (at most ``maximumAlignment``, so the field always fits).
    func padForAlignment(_ header: inout ByteWriter, alignment: Int) {
        guard alignment > 1 else { return }
        let padding = options.padding
        let start = position + header.count + padding.headerSize
        let fill = (alignment - start % alignment) % alignment
        let extraLength = Int(header.bytes[28]) | Int(header.bytes[29]) << 8
        header.patchLE(UInt16(extraLength + padding.headerSize + fill), at: 28)
        header.appendLE(padding.extraFieldID)
        header.appendLE(UInt16(padding.headerSize - 4 + fill))
        if padding.recordsAlignment { header.appendLE(UInt16(alignment)) }
        header.append(contentsOf: repeatElement(padding.fill, count: fill))
    }

    /// The data descriptor that follows an entry's data; `wideSizes` gives 8-byte sizes.
    func dataDescriptor(crc: UInt32, compressedSize: Int, uncompressedSize: Int, wideSizes: Bool) -> ByteWriter {
        var descriptor = ByteWriter(capacity: 24)
        descriptor.appendLE(UInt32(0x0807_4B50))
        descriptor.appendLE(crc)
        if wideSizes {
            descriptor.appendLE(UInt64(compressedSize))
            descriptor.appendLE(UInt64(uncompressedSize))
        } else {
            descriptor.appendLE(UInt32(compressedSize))
            descriptor.appendLE(UInt32(uncompressedSize))
        }
        return descriptor
    }

    /// Whether a PyTorch-style record keeps its sizes in ZIP64 fields.
    func pytorchNeedsLargeSizes(compressedSize: Int, uncompressedSize: Int) -> Bool {
        forceZip64 || uncompressedSize >= sizeLimit || compressedSize >= sizeLimit
    }

    /// Whether a PyTorch-style record keeps its local header offset in a ZIP64 field.
    func pytorchNeedsLargeOffset(_ offset: Int) -> Bool {
        forceZip64 || offset >= sizeLimit
    }

    // MARK: Central directory

    /// Appends the entry's central directory record.
    func appendCentralRecord(_ record: ZipRecord) {
        var directory = centralDirectory
        centralDirectory = ByteWriter()
        switch options.style {
        case .standard: appendStandardCentralRecord(record, to: &directory)
        case .pytorch: appendPyTorchCentralRecord(record, to: &directory)
        }
        centralDirectory = directory
        entryCount += 1
    }

    private func appendStandardCentralRecord(_ record: ZipRecord, to directory: inout ByteWriter) {
        let bigUncompressed = forceZip64 || record.uncompressedSize >= sizeLimit
        let bigCompressed = forceZip64 || record.compressedSize >= sizeLimit
        let bigOffset = forceZip64 || record.localHeaderOffset >= sizeLimit
        var zip64Values: [Int] = []
        if bigUncompressed { zip64Values.append(record.uncompressedSize) }
        if bigCompressed { zip64Values.append(record.compressedSize) }
        if bigOffset { zip64Values.append(record.localHeaderOffset) }
        let zip64 = !zip64Values.isEmpty
        directory.appendLE(UInt32(0x0201_4B50))
        directory.appendLE(UInt16(0x0300 | (zip64 ? 45 : 20)))  // made by Unix, version
        directory.appendLE(UInt16(zip64 ? 45 : record.method == .deflate ? 20 : 10))
        directory.appendLE(record.flags)
        directory.appendLE(record.method.rawValue)
        directory.appendLE(Self.dosTime)
        directory.appendLE(Self.dosDate)
        directory.appendLE(record.crc)
        directory.appendLE(bigCompressed ? UInt32(0xFFFF_FFFF) : UInt32(record.compressedSize))
        directory.appendLE(bigUncompressed ? UInt32(0xFFFF_FFFF) : UInt32(record.uncompressedSize))
        directory.appendLE(UInt16(record.name.count))
        directory.appendLE(UInt16(zip64 ? 4 + 8 * zip64Values.count : 0))
        directory.appendLE(UInt16(0))  // comment
        directory.appendLE(UInt16(0))  // disk
        directory.appendLE(UInt16(0))  // internal attributes
        let mode: UInt32 = record.name.last == UInt8(ascii: "/") ? 0o40755 : 0o100644
        directory.appendLE(mode << 16)
        directory.appendLE(bigOffset ? UInt32(0xFFFF_FFFF) : UInt32(record.localHeaderOffset))
        directory.append(contentsOf: record.name)
        Self.appendZip64Field(zip64Values, to: &directory)
    }

    private func appendPyTorchCentralRecord(_ record: ZipRecord, to directory: inout ByteWriter) {
        let bigSizes = pytorchNeedsLargeSizes(compressedSize: record.compressedSize, uncompressedSize: record.uncompressedSize)
        let bigOffset = pytorchNeedsLargeOffset(record.localHeaderOffset)
        var zip64Values: [Int] = []
        if bigSizes { zip64Values += [record.uncompressedSize, record.compressedSize] }
        if bigOffset { zip64Values.append(record.localHeaderOffset) }
        directory.appendLE(UInt32(0x0201_4B50))
        directory.appendLE(UInt16(0))  // made by
        directory.appendLE(UInt16(record.method == .deflate ? 20 : 0))
        directory.appendLE(record.flags)
        directory.appendLE(record.method.rawValue)
        directory.appendLE(UInt32(0))  // time and date
        directory.appendLE(record.crc)
        directory.appendLE(bigSizes ? UInt32(0xFFFF_FFFF) : UInt32(record.compressedSize))
        directory.appendLE(bigSizes ? UInt32(0xFFFF_FFFF) : UInt32(record.uncompressedSize))
        directory.appendLE(UInt16(record.name.count))
        directory.appendLE(UInt16(zip64Values.isEmpty ? 0 : 4 + 8 * zip64Values.count))
        directory.appendLE(UInt16(0))  // comment
        directory.appendLE(UInt16(0))  // disk
        directory.appendLE(UInt16(0))  // internal attributes
        directory.appendLE(UInt32(0))  // external attributes
        directory.appendLE(bigOffset ? UInt32(0xFFFF_FFFF) : UInt32(record.localHeaderOffset))
        directory.append(contentsOf: record.name)
        Self.appendZip64Field(zip64Values, to: &directory)
    }

    /// The ZIP64 extended information field (ID 1) holding `values`, if there are any.
    private static func appendZip64Field(_ values: [Int], to writer: inout ByteWriter) {
        guard !values.isEmpty else { return }
        writer.appendLE(UInt16(0x0001))
        writer.appendLE(UInt16(8 * values.count))
        for value in values { writer.appendLE(UInt64(value)) }
    }

    // MARK: End records

    /// The end of central directory record, preceded by the ZIP64 end record and locator
    /// when the archive needs them (or the style always writes them).
    func endRecords(directoryOffset: Int, directorySize: Int) -> ByteWriter {
        var end = ByteWriter(capacity: 128)
        let needsZip64 = forceZip64 || options.style == .pytorch || entryCount >= countLimit
            || directoryOffset >= sizeLimit || directorySize >= sizeLimit
        if needsZip64 {
            end.appendLE(UInt32(0x0606_4B50))
            end.appendLE(UInt64(44))  // size of the rest of the record
            // Made by: PyTorch says Unix, version 3.0; Python says version 4.5.
            end.appendLE(UInt16(options.style == .pytorch ? 0x031E : 45))
            end.appendLE(UInt16(45))  // needed to extract
            end.appendLE(UInt32(0))
            end.appendLE(UInt32(0))
            end.appendLE(UInt64(entryCount))
            end.appendLE(UInt64(entryCount))
            end.appendLE(UInt64(directorySize))
            end.appendLE(UInt64(directoryOffset))
            end.appendLE(UInt32(0x0706_4B50))
            end.appendLE(UInt32(0))
            end.appendLE(UInt64(directoryOffset + directorySize))
            end.appendLE(UInt32(1))
        }
        end.appendLE(UInt32(0x0605_4B50))
        end.appendLE(UInt16(0))
        end.appendLE(UInt16(0))
        // Fields that need ZIP64 hold all ones, which sends readers to the ZIP64 record.
        let shortCount = entryCount >= countLimit ? 0xFFFF : UInt16(entryCount)
        end.appendLE(shortCount)
        end.appendLE(shortCount)
        end.appendLE(directorySize >= sizeLimit ? 0xFFFF_FFFF : UInt32(directorySize))
        end.appendLE(directoryOffset >= sizeLimit ? 0xFFFF_FFFF : UInt32(directoryOffset))
        end.appendLE(UInt16(0))  // comment length
        return end
    }
}
