// The DataFolioZip module.
