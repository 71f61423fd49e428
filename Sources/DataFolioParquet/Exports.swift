// `import DataFolioParquet` alone gives what its API uses: tables, the error type and
// the byte outputs writers take.
@_exported import DataFolioSupport
@_exported import DataFolioTable
