enum ZstdFrameEncoder {
    static func compress(_ input: UnsafeRawBufferPointer, level: Int, checksum: Bool) -> [UInt8] {
        []
    }
}
