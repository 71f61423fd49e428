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
    /// try folio.add("weights", tensors: weights, metadata: ["format": "pt"])
    /// let back: TensorDictionary = try folio.get("weights")
    /// ```
    @discardableResult
    public func add(
        _ name: String, tensors: TensorDictionary, metadata: [String: String] = [:], description: String? = nil,
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

    /// A tensor set (safetensors) or the state dict of a PyTorch item, memory-mapped
    /// from its file.
    public func get(_ name: String) throws(DataFolioError) -> TensorDictionary {
        let item = try requireItem(name, kinds: [.artifact, .pytorchModel], wanted: "tensors")
        if item.kind == .pytorchModel { return try PyTorchItem.model(of: item, in: self).stateDict }
        return try TensorSetItem.tensors(of: item, in: self)
    }
}

/// Tensor sets stored as `.safetensors` artifacts.
enum TensorSetItem {
    static func isTensorSet(_ item: CatalogItem) -> Bool {
        item.kind == .artifact && item.filename?.hasSuffix(".safetensors") == true
    }

    static func tensors(of item: CatalogItem, in folio: DataFolio) throws(DataFolioError) -> TensorDictionary {
        guard isTensorSet(item) else {
            throw DataFolioError.wrongType(item.name, is: "file", wanted: "a tensor set (.safetensors)")
        }
        if let file = try folio.mappedPayload(of: item) {
            return try SafetensorsFile(mapping: file, path: item.relativePayloadPath ?? item.name).tensors
        }
        return try SafetensorsFile(bytes: try folio.payloadBytes(of: item)).tensors
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
