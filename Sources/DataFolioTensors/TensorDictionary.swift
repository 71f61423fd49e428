import DataFolioNumPy
import DataFolioSupport

/// An ordered collection of named tensors: a PyTorch state dict or the contents of a
/// `.safetensors` file.
///
/// Names are unique and keep the order in which they were inserted (the order PyTorch
/// lists a module's parameters). Each tensor is an `NDArray` of one of the dtypes the
/// tensor formats share: `bool`, `int8`–`int64`, `uint8`–`uint64`, `float16`,
/// `bfloat16`, `float32`, `float64` (and `complex64`/`complex128` in `.pt` files).
///
/// ```swift
/// var weights = TensorDictionary()
/// weights["linear.weight"] = try NDArray(shape: [2, 2], [1, 0, 0, 1] as [Float])
/// weights["linear.bias"] = NDArray([0.5, -0.5] as [Float])
/// for entry in weights {
///     print(entry.name, entry.dtype, entry.shape, entry.byteCount)
/// }
/// ```
public struct TensorDictionary: Sendable, Equatable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One named tensor.
    public struct Entry: Sendable, Equatable {
        /// The tensor's name, e.g. `"encoder.layers.0.weight"`.
        public var name: String
        /// The tensor's elements.
        public var array: NDArray

        /// Creates an entry.
        ///
        /// ```swift
        /// let entry = TensorDictionary.Entry(name: "bias", array: NDArray([0, 0] as [Float]))
        /// print(entry.name, entry.shape)
        /// ```
        public init(name: String, array: NDArray) {
            self.name = name
            self.array = array
        }

        /// The element type.
        public var dtype: DType { array.dtype }
        /// The length of each dimension (`[]` for a scalar).
        public var shape: [Int] { array.shape }
        /// The number of bytes of element data.
        public var byteCount: Int { array.byteCount }
    }

    /// The entries in order.
    public private(set) var entries: [Entry]
    private var positions: [String: Int]

    /// An empty dictionary.
    ///
    /// ```swift
    /// var weights = TensorDictionary()
    /// weights["bias"] = NDArray([0.5] as [Float])
    /// ```
    public init() {
        entries = []
        positions = [:]
    }

    /// A dictionary with the given tensors in order; for a repeated name the last tensor
    /// wins and the first position is kept.
    ///
    /// ```swift
    /// let layers = TensorDictionary(zip(["w0", "w1"], [first, second]))
    /// ```
    public init(_ pairs: some Sequence<(String, NDArray)>) {
        self.init()
        for (name, array) in pairs { self[name] = array }
    }

    public init(dictionaryLiteral elements: (String, NDArray)...) {
        self.init(elements)
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }
    public subscript(position: Int) -> Entry { entries[position] }

    // MARK: Access by name

    /// The names in order.
    public var names: [String] { entries.map(\.name) }

    /// The tensors in order.
    public var arrays: [NDArray] { entries.map(\.array) }

    /// The total number of bytes of element data.
    public var totalByteCount: Int { entries.reduce(0) { $0 + $1.array.byteCount } }

    /// Whether a tensor with this name exists.
    ///
    /// ```swift
    /// if !weights.contains("fc.bias") { print("the layer has no bias") }
    /// ```
    public func contains(_ name: String) -> Bool { positions[name] != nil }

    /// The tensor named `name`; setting `nil` removes it, setting a new name appends it.
    ///
    /// ```swift
    /// weights["fc.weight"] = try NDArray(shape: [2, 2], [1, 0, 0, 1] as [Float])
    /// let kernel = weights["fc.weight"]   // nil when absent
    /// ```
    public subscript(name: String) -> NDArray? {
        get {
            guard let position = positions[name] else { return nil }
            return entries[position].array
        }
        set {
            if let newValue {
                if let position = positions[name] {
                    entries[position].array = newValue
                } else {
                    positions[name] = entries.count
                    entries.append(Entry(name: name, array: newValue))
                }
            } else {
                removeValue(forName: name)
            }
        }
    }

    /// Removes the tensor named `name` and returns it.
    ///
    /// ```swift
    /// let dropped = weights.removeValue(forName: "head.weight")   // later tensors move up
    /// ```
    @discardableResult
    public mutating func removeValue(forName name: String) -> NDArray? {
        guard let position = positions.removeValue(forKey: name) else { return nil }
        let removed = entries.remove(at: position).array
        for i in position..<entries.count { positions[entries[i].name] = i }
        return removed
    }

    public static func == (lhs: TensorDictionary, rhs: TensorDictionary) -> Bool {
        lhs.entries == rhs.entries
    }
}

extension TensorDictionary: CustomStringConvertible {
    public var description: String {
        let lines = entries.map { "  \($0.name): \($0.dtype.name) \($0.shape)" }
        return "TensorDictionary(\(entries.count) tensors)" + (lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n"))
    }
}
