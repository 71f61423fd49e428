import DataFolioNumPy

/// A tensor of a `.pt` file.
public struct TorchTensor: Sendable, Equatable {
    /// The elements, contiguous and in row-major order.
    public var array: NDArray
    /// Whether autograd tracks the tensor (`requires_grad`).
    public var requiresGrad: Bool
    /// Whether the tensor is an `nn.Parameter`.
    public var isParameter: Bool

    /// Creates a tensor.
    ///
    /// ```swift
    /// let parameter = TorchValue.tensor(TorchTensor(NDArray([0.1, 0.2] as [Float]), requiresGrad: true, isParameter: true))
    /// ```
    public init(_ array: NDArray, requiresGrad: Bool = false, isParameter: Bool = false) {
        self.array = array
        self.requiresGrad = requiresGrad
        self.isParameter = isParameter
    }
}
