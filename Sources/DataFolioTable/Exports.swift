// `import DataFolioTable` alone gives what its API uses: the error type and the JSON
// values tables convert to and from.
@_exported import DataFolioJSON
@_exported import DataFolioSupport
