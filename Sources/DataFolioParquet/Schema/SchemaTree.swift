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

/// One node of a nested column as it reads into a table column, with the levels that
/// locate its values among the repetition and definition levels of its leaves.
///
/// A node's *slots* are the level entries whose definition level is at least
/// `slotDefinition` and whose repetition level is at most `slotRepetition`: one per value
/// of the node's column (a row for a top-level node, an element for a node inside a
/// list). A slot holds a value (is not null) when its definition level is at least
/// `definition`.
struct NestedNode: Sendable {
    indirect enum Kind: Sendable {
        case leaf(LeafColumn)
        case `struct`([(name: String, node: NestedNode)])
        /// A list; elements exist at definition levels of at least `elementDefinition`,
        /// and a repetition level equal to `repetition` starts another element.
        case list(NestedNode)
        /// A map: a list whose element is a required struct of `key` and `value`.
        case map(NestedNode)
    }

    var kind: Kind
    var slotDefinition: Int
    var slotRepetition: Int
    var definition: Int
    var isNullable: Bool
    /// For lists and maps: the definition level at which an element exists.
    var elementDefinition = 0
    /// For lists and maps: the repetition level of their elements.
    var repetition = 0

    /// The leaves under this node, in schema order.
    var leafIndices: [Int] {
        switch kind {
        case .leaf(let leaf): [leaf.index]
        case .struct(let fields): fields.flatMap(\.node.leafIndices)
        case .list(let element), .map(let element): element.leafIndices
        }
    }
}

/// How a top-level field of the schema maps to a table column.
enum FieldLayout: Sendable {
    /// One leaf, at most optional: a flat column, read without level bookkeeping.
    case flat(LeafColumn)
    /// Structs, lists and maps of any depth.
    case nested(NestedNode)
    /// A layout this library cannot read; `kind` names it for the error message.
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

        var repetition: Repetition { element.repetition ?? .required }
        var isLeaf: Bool { leafIndex != nil }
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
            // Earlier siblings' children may have used up the nodes the count promised.
            guard position < elements.count else {
                throw DataFolioError.corrupt(
                    "Parquet", "schema node '\(parent.element.name)' declares \(childCount) children but the schema ends first")
            }
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

    /// Why a node cannot be read, raised while mapping the schema.
    private struct Unreadable: Error {
        var kind: String
    }

    private static func layout(of node: Node) -> FieldLayout {
        if let leaf = leaf(node), node.repetition != .repeated {
            return .flat(leaf)
        }
        do {
            return .nested(try nested(node, slotDefinition: 0, slotRepetition: 0))
        } catch let error as Unreadable {
            return .unsupported(kind: error.kind, leaves: leafIndices(node))
        } catch {
            return .unsupported(kind: "an unreadable group", leaves: leafIndices(node))
        }
    }

    /// The nested node for a schema node whose slots are the entries at or above
    /// `slotDefinition` and at or below `slotRepetition`.
    private static func nested(_ node: Node, slotDefinition: Int, slotRepetition: Int) throws -> NestedNode {
        if node.repetition == .repeated {
            // A repeated field outside a LIST annotation: a list that is never null, of
            // required elements (the field itself).
            let element = try required(node)
            return NestedNode(
                kind: .list(element), slotDefinition: slotDefinition, slotRepetition: slotRepetition,
                definition: node.maxDefinition - 1, isNullable: false, elementDefinition: node.maxDefinition,
                repetition: node.maxRepetition)
        }
        return try content(
            node, slotDefinition: slotDefinition, slotRepetition: slotRepetition, definition: node.maxDefinition,
            nullable: node.repetition == .optional)
    }

    /// A repeated field read as the (required) element of its list: its slots are its own entries.
    private static func required(_ node: Node) throws -> NestedNode {
        try content(
            node, slotDefinition: node.maxDefinition, slotRepetition: node.maxRepetition, definition: node.maxDefinition,
            nullable: false)
    }

    /// What a node holds (its repetition aside): a leaf, a map, a list or a struct.
    private static func content(
        _ node: Node, slotDefinition: Int, slotRepetition: Int, definition: Int, nullable: Bool
    ) throws -> NestedNode {
        if let leaf = leaf(node) {
            return NestedNode(
                kind: .leaf(leaf), slotDefinition: slotDefinition, slotRepetition: slotRepetition,
                definition: definition, isNullable: nullable)
        }
        if isMapAnnotated(node.element) {
            guard node.children.count == 1, let entries = node.children.first, entries.repetition == .repeated,
                !entries.isLeaf, entries.children.count == 2 || entries.children.count == 1
            else { throw Unreadable(kind: "a malformed map") }
            let parts = try entries.children.map { child in
                try nested(child, slotDefinition: entries.maxDefinition, slotRepetition: entries.maxRepetition)
            }
            guard parts.count == 2 else {
                // A map without values reads as the list of its keys, as pyarrow reads it.
                return NestedNode(
                    kind: .list(parts[0]), slotDefinition: slotDefinition, slotRepetition: slotRepetition,
                    definition: definition, isNullable: nullable, elementDefinition: entries.maxDefinition,
                    repetition: entries.maxRepetition)
            }
            // The entry struct is required: every existing element is an entry.
            let entry = NestedNode(
                kind: .struct([("key", parts[0]), ("value", parts[1])]), slotDefinition: entries.maxDefinition,
                slotRepetition: entries.maxRepetition, definition: entries.maxDefinition, isNullable: false)
            return NestedNode(
                kind: .map(entry), slotDefinition: slotDefinition, slotRepetition: slotRepetition,
                definition: definition, isNullable: nullable, elementDefinition: entries.maxDefinition,
                repetition: entries.maxRepetition)
        }
        if isListAnnotated(node.element) {
            guard node.children.count == 1, let repeated = node.children.first, repeated.repetition == .repeated else {
                throw Unreadable(kind: "a malformed list")
            }
            let element: NestedNode
            // The backward-compatibility rules of the Parquet LIST type: the repeated
            // field is itself the element when it is primitive, has several fields, is
            // itself a list or map, or is named "array" or "<list>_tuple"; otherwise its
            // one field is the element.
            if repeated.isLeaf || repeated.children.count != 1 || isListAnnotated(repeated.element)
                || isMapAnnotated(repeated.element) || repeated.element.name == "array"
                || repeated.element.name == node.element.name + "_tuple"
            {
                element = try required(repeated)
            } else {
                element = try nested(
                    repeated.children[0], slotDefinition: repeated.maxDefinition, slotRepetition: repeated.maxRepetition)
            }
            return NestedNode(
                kind: .list(element), slotDefinition: slotDefinition, slotRepetition: slotRepetition,
                definition: definition, isNullable: nullable, elementDefinition: repeated.maxDefinition,
                repetition: repeated.maxRepetition)
        }
        guard !node.children.isEmpty else { throw Unreadable(kind: "a struct without fields") }
        var fields: [(name: String, node: NestedNode)] = []
        var names = Set<String>()
        for child in node.children {
            guard names.insert(child.element.name).inserted else { throw Unreadable(kind: "a struct with two fields of one name") }
            fields.append((child.element.name, try nested(child, slotDefinition: slotDefinition, slotRepetition: slotRepetition)))
        }
        return NestedNode(
            kind: .struct(fields), slotDefinition: slotDefinition, slotRepetition: slotRepetition, definition: definition,
            isNullable: nullable)
    }
}
