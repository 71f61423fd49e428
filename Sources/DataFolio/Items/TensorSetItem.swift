import DataFolioJSON
import DataFolioSupport
import DataFolioTensors
import Foundation

extension DataFolio {
    /// Adds a set of named tensors as a `.safetensors` file (an `artifact` item of
    /// category `tensors` whose catalog entry lists each tensor's dtype and shape).
    /// Python reads the file with the `safetensors` package; MLX and Core ML converters
    /// read it directly.
    ///
    /// ```swift
    /// let weights: TensorDictionary = ["embed.weight": embed, "head.bias": bias]
    /// try folio.add("weights", weights, metadata: ["format": "pt"])
    /// let back = try folio.get("weights", as: TensorDictionary.self)
    /// ```
    @discardableResult
    public func add(
        _ name: String, _ tensors: TensorDictionary, metadata: [String: String] = [:], description: String? = nil,
        inputs: [String] = [], overwrite: Bool = false
    ) throws(DataFolioError) -> CatalogItem {
        let file = SafetensorsFile(tensors: tensors, metadata: metadata)
        let new = NewItem(name: name, kind: .artifact, description: description, inputs: inputs, overwrite: overwrite, fileExtension: ".safetensors")
        return try addItem(new) { transaction, path throws(DataFolioError) in
            guard let path else { return KindFields(fields: [:]) }
            let written = try transaction.writePayload(at: path) { writer throws(DataFolioError) in try file.write(to: writer) }
            return KindFields(
                fields: [
                    "checksum": .string(written.md5),
                    "file_size": .int(Int64(written.size)),
                    "created_at": .string(ISOTimestamp.now()),
                ],
                extras: ["category": "tensors", "tensors": TensorSetItem.catalogListing(tensors)])
        }
    }
}

/// Tensor sets: `.safetensors` artifacts, memory-mapped on a local disk.
enum TensorSetItem: ItemHandler {
    static let kind = ItemKind.artifact
    static let describeSection = DescribeSection.artifacts

    static func handles(_ item: CatalogItem) -> Bool {
        item.kind == .artifact && item.filename?.hasSuffix(".safetensors") == true && item.fields["is_directory"]?.boolValue != true
    }

    static func read(_ item: CatalogItem, from folio: DataFolio) throws(DataFolioError) -> ItemValue.Content {
        .tensors(try tensors(of: item, in: folio))
    }

    static func tensors(of item: CatalogItem, in folio: DataFolio) throws(DataFolioError) -> TensorDictionary {
        if let file = try folio.mappedPayload(of: item) {
            return try SafetensorsFile(mapping: file, path: item.relativePayloadPath ?? item.name).tensors
        }
        return try SafetensorsFile(bytes: try folio.payloadBytes(of: item)).tensors
    }

    static func describeDetails(_ item: CatalogItem, context: DescribeContext) -> [String] {
        FileItem.describeDetails(item, context: context)
    }

    /// `{"name": {"dtype": "F32", "shape": [..]}, …}` in file order.
    static func catalogListing(_ tensors: TensorDictionary) -> JSONValue {
        var listing = JSONObject()
        for entry in tensors {
            listing[entry.name] = [
                "dtype": .string(entry.dtype.safetensorsCode ?? entry.dtype.name),
                "shape": .array(entry.shape.map { .int(Int64($0)) }),
            ]
        }
        return .object(listing)
    }
}
