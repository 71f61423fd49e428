import DataFolio
import Foundation

/// The kind-specific part of `show`: a table's schema, an array's shape, a model's tensors.
enum ItemDetails {
    static func lines(for item: CatalogItem, in folio: DataFolio) -> [String] {
        switch item.kind {
        case .numpyArray?:
            let shape = item.fields["shape"]?.arrayValue?.compactMap(\.intValue) ?? []
            return ["Shape: \(shape)", "Dtype: \(item.fields["dtype"]?.stringValue ?? "?")"]
        case .jsonData?:
            return ["JSON type: \(item.fields["data_type"]?.stringValue ?? "?")"]
        case .timestamp?:
            return ["Time: \(item.fields["iso_string"]?.stringValue ?? "?")"]
        default:
            return []
        }
    }

    static func json(for item: CatalogItem, in folio: DataFolio) -> JSONValue {
        .object([:])
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
