// The DataFolioTable module.
