// `import DataFolioTensors` alone gives what its API uses: arrays (each tensor is an
// NDArray), JSON values (safetensors metadata) and the error type.
@_exported import DataFolioJSON
@_exported import DataFolioNumPy
@_exported import DataFolioSupport
