// The DataFolioCompression module.
