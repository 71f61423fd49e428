/// Options for reading `.pt` files.
public struct TorchReadOptions: Sendable {
    /// Whether references to Python objects outside PyTorch's weights-only allow-list
    /// are kept as ``TorchValue/opaque(_:)`` records. `false` (the default) refuses
    /// them with an error, as `torch.load(weights_only=True)` does.
    public var allowsOpaqueObjects: Bool
    /// Limits on the pickle inside the archive.
    public var pickleLimits: PickleReader.Limits
    /// The largest `data.pkl` accepted, in bytes.
    public var maximumPickleSize: Int

    /// Creates options.
    ///
    /// ```swift
    /// let options = TorchReadOptions(allowsOpaqueObjects: true, maximumPickleSize: 64 << 20)
    /// let value = try TorchFile.read(at: "trainer.pt", options: options)
    /// ```
    public init(allowsOpaqueObjects: Bool = false, pickleLimits: PickleReader.Limits = PickleReader.Limits(), maximumPickleSize: Int = 1 << 30) {
        self.allowsOpaqueObjects = allowsOpaqueObjects
        self.pickleLimits = pickleLimits
        self.maximumPickleSize = maximumPickleSize
    }
}

/// Options for writing `.pt` files.
public struct TorchWriteOptions: Sendable {
    /// The folder name inside the archive; PyTorch uses the file name without its
    /// extension (`model` for `model.pt`), and `archive` when writing to memory.
    public var archiveName: String?
    /// Whether a written file is flushed to disk (`fsync`) before it replaces the old one.
    public var sync: Bool

    /// Creates options.
    ///
    /// ```swift
    /// try TorchFile.write(value, to: "scratch.pt", options: TorchWriteOptions(archiveName: "scratch", sync: false))
    /// ```
    public init(archiveName: String? = nil, sync: Bool = true) {
        self.archiveName = archiveName
        self.sync = sync
    }
}
