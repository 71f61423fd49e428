/// How ``ZipWriter`` lays out an archive's records.
///
/// The default, ``standard``, writes what Python's `zipfile` module writes. ``pytorch``
/// writes the records exactly as `torch.save` does, so that `.pt` files made here are
/// laid out like PyTorch's own.
///
/// ```swift
/// let zip = ZipWriter(options: .pytorch)
/// try zip.addEntry(named: "model/data/0", contents: tensorBytes, method: .stored, alignment: 64)
///
/// var options = ZipWriterOptions()
/// options.forceZip64 = true
/// let large = ZipWriter(options: options)
/// ```
public struct ZipWriterOptions: Sendable, Hashable {
    /// Which conventions the records follow.
    public enum RecordStyle: Sendable, Hashable {
        /// As Python's `zipfile`: an entry written whole has its CRC-32 and sizes in its
        /// local header; a streamed entry is followed by a data descriptor with 8-byte
        /// sizes; "version needed" is 1.0, 2.0 or 4.5; times are 1980-01-01; the central
        /// directory records Unix permissions; ZIP64 fields appear only where a size, an
        /// offset or the entry count needs them.
        case standard
        /// As PyTorch's writer (miniz, as `torch.save` configures it): local headers
        /// leave the CRC-32 and sizes zero and every non-empty entry is followed by a
        /// data descriptor (with 8-byte sizes only when the local header has a ZIP64
        /// field); names are always flagged UTF-8; version, time and attribute fields
        /// are zero; the ZIP64 end records are always written.
        case pytorch
    }

    /// Which conventions the records follow.
    public var style: RecordStyle
    /// The extra field that pads a local header so a stored entry's data starts at the
    /// requested alignment.
    public var padding: ZipAlignmentPadding
    /// Whether ZIP64 fields and end records are written even when nothing needs them
    /// (Python's `force_zip64`). With ``RecordStyle/pytorch`` the end records are
    /// always written anyway.
    public var forceZip64: Bool

    /// Creates options; the defaults are ``standard``'s.
    ///
    /// ```swift
    /// let options = ZipWriterOptions(style: .standard, padding: .pytorch, forceZip64: true)
    /// let writer = ZipWriter(options: options)
    /// ```
    public init(style: RecordStyle = .standard, padding: ZipAlignmentPadding = .zipalign, forceZip64: Bool = false) {
        self.style = style
        self.padding = padding
        self.forceZip64 = forceZip64
    }

    /// Python `zipfile` conventions, aligned data padded as Android's `zipalign` pads it.
    public static let standard = ZipWriterOptions()

    /// The layout of `torch.save`: PyTorch's record conventions and its `"FB"` padding.
    public static let pytorch = ZipWriterOptions(style: .pytorch, padding: .pytorch)
}
