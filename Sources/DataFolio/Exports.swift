// `import DataFolio` brings the value types of the format modules with it: the error
// type, JSON values, arrays, tables and tensor dictionaries.
@_exported import DataFolioJSON
@_exported import DataFolioNumPy
@_exported import DataFolioSupport
@_exported import DataFolioTensors
@_exported import DataFolioParquet
@_exported import DataFolioTable
