import DataFolio
import Foundation

/// The kind-specific part of `show`: a table's schema, an array's shape, a model's tensors.
enum ItemDetails {
    static func lines(for item: CatalogItem, in folio: DataFolio) -> [String] {
        switch item.kind {
        case .includedTable, .referencedTable:
            guard let schema = try? folio.tableSchema(item.name) else { return ["Schema: (unreadable)"] }
            var lines = ["Rows: \(schema.rowCount ?? 0)", "Columns (\(schema.fields.count)):"]
            let width = schema.fields.map(\.name.count).max() ?? 0
            for column in schema.fields {
                lines.append("  " + column.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + column.type.arrowName
                    + (schema.isIndex(column.name) ? "  (index)" : ""))
            }
            return lines
        case .numpyArray:
            let shape = item.fields["shape"]?.arrayValue?.compactMap(\.intValue) ?? []
            return ["Shape: \(shape)", "Dtype: \(item.fields["dtype"]?.stringValue ?? "?")"]
        case .jsonData:
            return ["JSON type: \(item.fields["data_type"]?.stringValue ?? "?")"]
        case .timestamp:
            return ["Time: \(item.fields["iso_string"]?.stringValue ?? "?")"]
        case .model, .legacyPyTorchModel:
            return modelLines(item, in: folio)
        case .artifact where item.filename?.hasSuffix(".safetensors") == true:
            return tensorLines(item, in: folio)
        default:
            return []
        }
    }

    private static func modelLines(_ item: CatalogItem, in folio: DataFolio) -> [String] {
        var lines = ["Model type: \(item.fields["model_type"]?.stringValue ?? "?")"]
        let format = item.fields["serialization_format"]?.stringValue
            ?? (item.kind == .legacyPyTorchModel ? "pytorch_state_dict" : item.filename?.hasSuffix(".skops") == true ? "skops" : "joblib")
        let note: String
        switch format {
        case "json": note = " (Swift Codable)"
        case "pytorch_state_dict": note = " (PyTorch weights)"
        default: note = " (scikit-learn, loadable in Python only)"
        }
        lines.append("Format: \(format)" + note)
        if let hyperparameters = item.fields["hyperparameters"]?.objectValue {
            lines.append("Hyperparameters: " + JSONValue.object(hyperparameters).formatted(indented: false))
        }
        guard format == "pytorch_state_dict" else { return lines }
        if let args = item.fields["init_args"]?.objectValue { lines.append("Init arguments: " + JSONValue.object(args).formatted(indented: false)) }
        if let model = try? folio.get(item.name, as: PyTorchModel.self), model.hasSerializedClass {
            lines.append("Note: the file also holds a Python class serialized with dill, which Swift ignores.")
        }
        return lines + tensorLines(item, in: folio)
    }

    private static func tensorLines(_ item: CatalogItem, in folio: DataFolio) -> [String] {
        guard let tensors = try? folio.get(item.name, as: TensorDictionary.self) else { return ["Tensors: (unreadable)"] }
        var lines = ["Tensors (\(tensors.count), \(ByteCountText.text(tensors.totalByteCount))):"]
        let width = tensors.map(\.name.count).max() ?? 0
        for entry in tensors {
            lines.append("  " + entry.name.padding(toLength: width, withPad: " ", startingAt: 0)
                + "  \(entry.dtype.name)  \(entry.shape)  \(ByteCountText.text(entry.byteCount))")
        }
        return lines
    }

    static func json(for item: CatalogItem, in folio: DataFolio) -> JSONValue {
        var details = JSONObject()
        if item.kind == .includedTable || item.kind == .referencedTable, let schema = try? folio.tableSchema(item.name) {
            details["schema"] = .array(schema.fields.map { column -> JSONValue in
                ["name": .string(column.name), "type": .string(column.type.arrowName)]
            })
        }
        if let tensors = try? folio.get(item.name, as: TensorDictionary.self) {
            details["tensors"] = .array(tensors.map { entry -> JSONValue in
                [
                    "name": .string(entry.name), "dtype": .string(entry.dtype.name),
                    "shape": .array(entry.shape.map { .int(Int64($0)) }), "size_bytes": .int(Int64(entry.byteCount)),
                ]
            })
        }
        return .object(details)
    }
}
