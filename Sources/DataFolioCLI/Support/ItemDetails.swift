import DataFolio
import Foundation

/// The kind-specific part of `show`: a table's schema, an array's shape, a model's tensors.
enum ItemDetails {
    static func lines(for item: CatalogItem, in folio: DataFolio) -> [String] {
        switch item.kind {
        case .includedTable?, .referencedTable?:
            guard let schema = try? folio.tableSchema(item.name) else { return ["Schema: (unreadable)"] }
            var lines = [String]()
            if let rows = item.fields["num_rows"]?.intValue { lines.append("Rows: \(rows)") }
            lines.append("Columns (\(schema.count)):")
            let width = schema.map(\.name.count).max() ?? 0
            let index = Set(item.fields["index_columns"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            for column in schema {
                lines.append("  " + column.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + column.type.arrowName
                    + (index.contains(column.name) ? "  (index)" : ""))
            }
            return lines
        case .numpyArray?:
            let shape = item.fields["shape"]?.arrayValue?.compactMap(\.intValue) ?? []
            return ["Shape: \(shape)", "Dtype: \(item.fields["dtype"]?.stringValue ?? "?")"]
        case .jsonData?:
            return ["JSON type: \(item.fields["data_type"]?.stringValue ?? "?")"]
        case .timestamp?:
            return ["Time: \(item.fields["iso_string"]?.stringValue ?? "?")"]
        case .model?:
            var lines = ["Model type: \(item.fields["model_type"]?.stringValue ?? "?")"]
            let format = item.fields["serialization_format"]?.stringValue ?? (item.filename?.hasSuffix(".skops") == true ? "skops" : "joblib")
            lines.append("Format: \(format)" + (format == "json" ? " (Swift Codable)" : " (scikit-learn, loadable in Python only)"))
            if let hyperparameters = item.fields["hyperparameters"]?.objectValue {
                lines.append("Hyperparameters: " + JSONValue.object(hyperparameters).formatted(indented: false))
            }
            return lines
        case _ where item.kind == .pytorchModel || (item.kind == .artifact && item.filename?.hasSuffix(".safetensors") == true):
            var lines = [String]()
            if item.kind == .pytorchModel {
                lines.append("Model class: \(item.fields["model_type"]?.stringValue ?? "?")")
                if let args = item.fields["init_args"]?.objectValue { lines.append("Init arguments: " + JSONValue.object(args).formatted(indented: false)) }
                if let model = try? folio.pyTorch(item.name), model.hasSerializedClass {
                    lines.append("Note: the file also holds a Python class serialized with dill, which Swift ignores.")
                }
            }
            guard let tensors: TensorDictionary = try? folio.get(item.name) else {
                return lines + ["Tensors: (unreadable)"]
            }
            lines.append("Tensors (\(tensors.count), \(size(tensors.totalByteCount))):")
            let width = tensors.map(\.name.count).max() ?? 0
            for entry in tensors {
                lines.append("  " + entry.name.padding(toLength: width, withPad: " ", startingAt: 0)
                    + "  \(entry.dtype.name)  \(entry.shape)  \(size(entry.byteCount))")
            }
            return lines
        default:
            return []
        }
    }

    static func json(for item: CatalogItem, in folio: DataFolio) -> JSONValue {
        var details = JSONObject()
        if item.kind == .includedTable || item.kind == .referencedTable, let schema = try? folio.tableSchema(item.name) {
            details["schema"] = .array(schema.map { ["name": .string($0.name), "type": .string($0.type.arrowName)] })
        }
        if item.kind == .pytorchModel || item.filename?.hasSuffix(".safetensors") == true,
           let tensors: TensorDictionary = try? folio.get(item.name)
        {
            details["tensors"] = .array(tensors.map { entry in
                [
                    "name": .string(entry.name), "dtype": .string(entry.dtype.name),
                    "shape": .array(entry.shape.map { .int(Int64($0)) }), "size_bytes": .int(Int64(entry.byteCount)),
                ]
            })
        }
        return .object(details)
    }

    static func size(_ bytes: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
