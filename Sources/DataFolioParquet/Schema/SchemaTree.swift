import DataFolioSupport

/// A leaf (primitive) column of the Parquet schema with its level bounds.
struct LeafColumn: Sendable {
    /// Position among the leaves; indexes the column chunks of each row group.
    var index: Int
    var element: SchemaElement
    var path: [String]
    var maxDefinitionLevel: Int
    var maxRepetitionLevel: Int
    var physicalType: ParquetPhysicalType { element.type ?? .int32 }
}

/// How a top-level field of the schema maps to a table column.
enum FieldLayout: Sendable {
    /// One leaf, at most optional: a flat column.
    case flat(LeafColumn)
    /// A one-level list of primitive elements.
    ///
    /// - `listDefinedLevel`: definition levels at or above it mean the list is not null.
    /// - `elementLevel`: definition levels at or above it mean an element slot exists.
    case list(LeafColumn, listDefinedLevel: Int, elementLevel: Int)
    /// A kind this library does not read yet; `kind` names it for the error message.
    case unsupported(kind: String, leaves: [Int])
}

/// A top-level field of the file's schema.
struct SchemaField: Sendable {
    var name: String
    var element: SchemaElement
    var layout: FieldLayout
}

/// The schema tree rebuilt from the flattened footer list.
struct SchemaTree: Sendable {
    var fields: [SchemaField] = []
    var leaves: [LeafColumn] = []

    private final class Node {
        let element: SchemaElement
        var children: [Node] = []
        var path: [String]
        var maxDefinition: Int
        var maxRepetition: Int
        var leafIndex: Int?

        init(element: SchemaElement, path: [String], maxDefinition: Int, maxRepetition: Int) {
            self.element = element
            self.path = path
            self.maxDefinition = maxDefinition
            self.maxRepetition = maxRepetition
        }
    }

    static let maximumDepth = 64

    init(elements: [SchemaElement]) throws(DataFolioError) {
        guard let rootElement = elements.first else {
            throw DataFolioError.corrupt("Parquet", "the schema is empty")
        }
        let root = Node(element: rootElement, path: [], maxDefinition: 0, maxRepetition: 0)
        var position = 1
        var leaves: [LeafColumn] = []
        try SchemaTree.build(
            root, childCount: Int(rootElement.numChildren ?? 0), elements: elements, position: &position,
            depth: 0, leaves: &leaves)
        guard position == elements.count else {
            throw DataFolioError.corrupt(
                "Parquet", "the schema lists \(elements.count) nodes but its child counts account for \(position)")
        }
        self.leaves = leaves
        fields = root.children.map { SchemaField(name: $0.element.name, element: $0.element, layout: SchemaTree.layout(of: $0)) }
    }

    private static func build(
        _ parent: Node, childCount: Int, elements: [SchemaElement], position: inout Int, depth: Int,
        leaves: inout [LeafColumn]
    ) throws(DataFolioError) {
        guard depth < maximumDepth else {
            throw DataFolioError(.limitExceeded, "Parquet: the schema nests deeper than \(maximumDepth) levels. The file is damaged or hostile.")
        }
        guard childCount >= 0, childCount <= elements.count - position else {
            throw DataFolioError.corrupt(
                "Parquet", "schema node '\(parent.element.name)' declares \(childCount) children but only \(elements.count - position) nodes follow")
        }
        for _ in 0..<childCount {
            let element = elements[position]
            position += 1
            let repetition = element.repetition ?? .required
            let node = Node(
                element: element, path: parent.path + [element.name],
                maxDefinition: parent.maxDefinition + (repetition == .required ? 0 : 1),
                maxRepetition: parent.maxRepetition + (repetition == .repeated ? 1 : 0))
            parent.children.append(node)
            let children = Int(element.numChildren ?? 0)
            if element.type == nil || children > 0 {
                try build(node, childCount: children, elements: elements, position: &position, depth: depth + 1, leaves: &leaves)
            } else {
                node.leafIndex = leaves.count
                leaves.append(
                    LeafColumn(
                        index: leaves.count, element: element, path: node.path,
                        maxDefinitionLevel: node.maxDefinition, maxRepetitionLevel: node.maxRepetition))
            }
        }
    }

    private static func leafIndices(_ node: Node) -> [Int] {
        if let index = node.leafIndex { return [index] }
        return node.children.flatMap { leafIndices($0) }
    }

    private static func leaf(_ node: Node) -> LeafColumn? {
        guard let index = node.leafIndex, node.element.type != nil else { return nil }
        return LeafColumn(
            index: index, element: node.element, path: node.path,
            maxDefinitionLevel: node.maxDefinition, maxRepetitionLevel: node.maxRepetition)
    }

    private static func isListAnnotated(_ element: SchemaElement) -> Bool {
        if case .list = element.logicalType { return true }
        return element.convertedType == .list
    }

    private static func isMapAnnotated(_ element: SchemaElement) -> Bool {
        if case .map = element.logicalType { return true }
        return element.convertedType == .map || element.convertedType == .mapKeyValue
    }

    private static func layout(of node: Node) -> FieldLayout {
        let repetition = node.element.repetition ?? .required
        let leaves = leafIndices(node)
        if let leaf = leaf(node) {
            if repetition == .repeated {
                // A bare repeated primitive: a list that is never null, of required elements.
                return .list(leaf, listDefinedLevel: 0, elementLevel: node.maxDefinition)
            }
            return .flat(leaf)
        }
        if repetition == .repeated {
            return .unsupported(kind: "a repeated group", leaves: leaves)
        }
        if isMapAnnotated(node.element) {
            return .unsupported(kind: "a map", leaves: leaves)
        }
        guard isListAnnotated(node.element) else {
            return .unsupported(kind: "a struct", leaves: leaves)
        }
        guard node.children.count == 1, let repeated = node.children.first,
            repeated.element.repetition == .repeated
        else {
            return .unsupported(kind: "a malformed list", leaves: leaves)
        }
        if let element = leaf(repeated) {
            // Two-level list: the repeated primitive is the (required) element.
            return .list(element, listDefinedLevel: node.maxDefinition, elementLevel: repeated.maxDefinition)
        }
        // Legacy rule: a repeated group named "array" or "<list>_tuple" is itself the element (a struct).
        if repeated.children.count != 1 || repeated.element.name == "array"
            || repeated.element.name == node.element.name + "_tuple"
        {
            return .unsupported(kind: "a list of structs", leaves: leaves)
        }
        let child = repeated.children[0]
        guard let element = leaf(child) else {
            if isListAnnotated(child.element) { return .unsupported(kind: "a nested list", leaves: leaves) }
            if isMapAnnotated(child.element) { return .unsupported(kind: "a list of maps", leaves: leaves) }
            return .unsupported(kind: "a list of structs", leaves: leaves)
        }
        if child.element.repetition == .repeated {
            return .unsupported(kind: "a nested list", leaves: leaves)
        }
        return .list(element, listDefinedLevel: node.maxDefinition, elementLevel: repeated.maxDefinition)
    }
}
