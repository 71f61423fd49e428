import DataFolioSupport
import Dispatch

/// Writes the ZIP container of a PyTorch archive exactly as `torch.save` lays it out:
/// every record stored uncompressed under `<archive name>/`, its data aligned to 64
/// bytes by a padding extra field (`"FB"` + length + `'Z'`s), a data descriptor after
/// each record, and ZIP64 end records.
struct TorchArchiveWriter<Sink: ByteSink> {
    static var alignment: Int { 64 }

    private struct CentralEntry {
        var name: [UInt8]
        var crc: UInt32
        var size: Int
        var offset: Int
    }

    var sink: Sink
    let archiveName: String
    private var entries: [CentralEntry] = []

    init(sink: Sink, archiveName: String) {
        self.sink = sink
        self.archiveName = archiveName
    }

    mutating func addRecord(_ name: String, _ text: String) throws(DataFolioError) {
        let bytes = Array(text.utf8)
        var failure: DataFolioError?
        bytes.withUnsafeBytes { raw in
            do throws(DataFolioError) { try addRecord(name, raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    mutating func addRecord(_ name: String, _ bytes: [UInt8]) throws(DataFolioError) {
        var failure: DataFolioError?
        bytes.withUnsafeBytes { raw in
            do throws(DataFolioError) { try addRecord(name, raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    mutating func addRecord(_ name: String, _ data: UnsafeRawBufferPointer) throws(DataFolioError) {
        let fullName = Array("\(archiveName)/\(name)".utf8)
        let offset = sink.position
        let size = data.count
        let largeSize = size >= 0xFFFF_FFFF
        let largeOffset = offset >= 0xFFFF_FFFF

        var zip64 = ByteWriter()
        if largeSize || largeOffset {
            zip64.appendLE(UInt16(0x0001))
            zip64.appendLE(UInt16((largeSize ? 16 : 0) + (largeOffset ? 8 : 0)))
            if largeSize {
                zip64.appendLE(UInt64(size))
                zip64.appendLE(UInt64(size))
            }
            if largeOffset { zip64.appendLE(UInt64(offset)) }
        }
        // PyTorch pads so that the record's data starts on a 64-byte boundary.
        let start = offset + 30 + fullName.count + zip64.count + 4
        let padding = (TorchArchiveWriter.alignment - start % TorchArchiveWriter.alignment) % TorchArchiveWriter.alignment

        var header = ByteWriter(capacity: 128 + padding)
        header.appendLE(UInt32(0x0403_4B50))
        header.appendLE(UInt16(largeSize || largeOffset ? 45 : 0))  // version needed
        header.appendLE(UInt16(0x0808))  // data descriptor follows; UTF-8 names
        header.appendLE(UInt16(0))  // stored
        header.appendLE(UInt32(0))  // time and date
        header.appendLE(UInt32(0))  // CRC, in the descriptor
        header.appendLE(UInt32(largeSize ? 0xFFFF_FFFF : 0))
        header.appendLE(UInt32(largeSize ? 0xFFFF_FFFF : 0))
        header.appendLE(UInt16(fullName.count))
        header.appendLE(UInt16(zip64.count + 4 + padding))
        header.append(contentsOf: fullName)
        header.append(contentsOf: zip64.bytes)
        header.append(contentsOf: [UInt8(ascii: "F"), UInt8(ascii: "B")])
        header.appendLE(UInt16(padding))
        header.append(contentsOf: repeatElement(UInt8(ascii: "Z"), count: padding))
        try sink.write(header.bytes)

        let crc = try writeChecksummed(data)

        var descriptor = ByteWriter(capacity: 24)
        descriptor.appendLE(UInt32(0x0807_4B50))
        descriptor.appendLE(crc)
        if largeSize {
            descriptor.appendLE(UInt64(size))
            descriptor.appendLE(UInt64(size))
        } else {
            descriptor.appendLE(UInt32(size))
            descriptor.appendLE(UInt32(size))
        }
        try sink.write(descriptor.bytes)
        entries.append(CentralEntry(name: fullName, crc: crc, size: size, offset: offset))
    }

    /// Writes `data` and returns its CRC-32. For large records the checksum runs on a
    /// second thread while the data is written, as both take comparable time.
    private mutating func writeChecksummed(_ data: UnsafeRawBufferPointer) throws(DataFolioError) -> UInt32 {
        guard data.count >= 1 << 22 else {
            try sink.write(data)
            return CRC32.checksum(data)
        }
        let box = UnsafeSendableBox(data)
        nonisolated(unsafe) var crc: UInt32 = 0
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { crc = CRC32.checksum(box.value) }
        do {
            try sink.write(data)
        } catch {
            group.wait()
            throw error
        }
        group.wait()
        return crc
    }

    /// Writes the central directory and the end records.
    mutating func finish() throws(DataFolioError) {
        let directoryOffset = sink.position
        var directory = ByteWriter(capacity: entries.count * 96)
        for entry in entries {
            let largeSize = entry.size >= 0xFFFF_FFFF
            let largeOffset = entry.offset >= 0xFFFF_FFFF
            var zip64 = ByteWriter()
            if largeSize || largeOffset {
                zip64.appendLE(UInt16(0x0001))
                zip64.appendLE(UInt16((largeSize ? 16 : 0) + (largeOffset ? 8 : 0)))
                if largeSize {
                    zip64.appendLE(UInt64(entry.size))
                    zip64.appendLE(UInt64(entry.size))
                }
                if largeOffset { zip64.appendLE(UInt64(entry.offset)) }
            }
            directory.appendLE(UInt32(0x0201_4B50))
            directory.appendLE(UInt16(largeSize || largeOffset ? 45 : 0))  // made by
            directory.appendLE(UInt16(largeSize || largeOffset ? 45 : 0))  // needed
            directory.appendLE(UInt16(0x0808))
            directory.appendLE(UInt16(0))
            directory.appendLE(UInt32(0))
            directory.appendLE(entry.crc)
            directory.appendLE(UInt32(largeSize ? 0xFFFF_FFFF : UInt32(entry.size)))
            directory.appendLE(UInt32(largeSize ? 0xFFFF_FFFF : UInt32(entry.size)))
            directory.appendLE(UInt16(entry.name.count))
            directory.appendLE(UInt16(zip64.count))
            directory.appendLE(UInt16(0))  // comment
            directory.appendLE(UInt16(0))  // disk
            directory.appendLE(UInt16(0))  // internal attributes
            directory.appendLE(UInt32(0))  // external attributes
            directory.appendLE(UInt32(largeOffset ? 0xFFFF_FFFF : UInt32(entry.offset)))
            directory.append(contentsOf: entry.name)
            directory.append(contentsOf: zip64.bytes)
        }
        let directorySize = directory.count
        let endOffset = directoryOffset + directorySize

        // ZIP64 end of central directory record and locator (PyTorch always writes them).
        directory.appendLE(UInt32(0x0606_4B50))
        directory.appendLE(UInt64(44))
        directory.appendLE(UInt16(0x031E))
        directory.appendLE(UInt16(45))
        directory.appendLE(UInt32(0))
        directory.appendLE(UInt32(0))
        directory.appendLE(UInt64(entries.count))
        directory.appendLE(UInt64(entries.count))
        directory.appendLE(UInt64(directorySize))
        directory.appendLE(UInt64(directoryOffset))
        directory.appendLE(UInt32(0x0706_4B50))
        directory.appendLE(UInt32(0))
        directory.appendLE(UInt64(endOffset))
        directory.appendLE(UInt32(1))

        directory.appendLE(UInt32(0x0605_4B50))
        directory.appendLE(UInt16(0))
        directory.appendLE(UInt16(0))
        directory.appendLE(UInt16(min(entries.count, 0xFFFF)))
        directory.appendLE(UInt16(min(entries.count, 0xFFFF)))
        directory.appendLE(UInt32(min(directorySize, 0xFFFF_FFFF)))
        directory.appendLE(UInt32(min(directoryOffset, 0xFFFF_FFFF)))
        directory.appendLE(UInt16(0))
        try sink.write(directory.bytes)
    }
}
