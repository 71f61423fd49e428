// `import DataFolioCompression` alone gives what its API uses: the error type.
@_exported import DataFolioSupport
