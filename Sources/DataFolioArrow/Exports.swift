// `import DataFolioArrow` alone gives what its API uses: tables and their schemas, the
// batch reader protocol, the error type and the byte inputs readers take.
@_exported import DataFolioSupport
@_exported import DataFolioTable
