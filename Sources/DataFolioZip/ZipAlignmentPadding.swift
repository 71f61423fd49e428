/// The extra field that ``ZipWriter`` adds to a stored entry's local header so that the
/// entry's data starts at a multiple of the requested alignment, which lets readers
/// memory-map it in place.
///
/// Readers skip extra fields they do not know, so any ID works; tools look for their
/// own: Android's `zipalign` writes ``zipalign``, and PyTorch writes ``pytorch``.
///
/// ```swift
/// var options = ZipWriterOptions()
/// options.padding = ZipAlignmentPadding(extraFieldID: 0xCAFE, fill: 0, recordsAlignment: false)
/// ```
public struct ZipAlignmentPadding: Sendable, Hashable {
    /// The extra field's header ID.
    public var extraFieldID: UInt16
    /// The byte that fills the field.
    public var fill: UInt8
    /// Whether the field's data starts with the alignment as a 2-byte little-endian
    /// value (as `zipalign`'s does) before the fill bytes.
    public var recordsAlignment: Bool

    /// Creates a padding field description.
    ///
    /// ```swift
    /// let padding = ZipAlignmentPadding(extraFieldID: 0xCAFE, fill: 0, recordsAlignment: false)
    /// let writer = ZipWriter(options: ZipWriterOptions(padding: padding))
    /// ```
    public init(extraFieldID: UInt16, fill: UInt8, recordsAlignment: Bool) {
        self.extraFieldID = extraFieldID
        self.fill = fill
        self.recordsAlignment = recordsAlignment
    }

    /// Android's alignment field: ID `0xD935`, the alignment, then zeros.
    public static let zipalign = ZipAlignmentPadding(extraFieldID: 0xD935, fill: 0, recordsAlignment: true)

    /// PyTorch's field: ID `"FB"` (`0x4246`), then `"Z"`s.
    public static let pytorch = ZipAlignmentPadding(extraFieldID: 0x4246, fill: UInt8(ascii: "Z"), recordsAlignment: false)

    /// The bytes of the field before its fill.
    var headerSize: Int { recordsAlignment ? 6 : 4 }
}
