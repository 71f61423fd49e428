// `import DataFolioS3` gives what its API uses: the folio and its storage protocol
// (which the remote stores implement), and with them the error type.
@_exported import DataFolio
