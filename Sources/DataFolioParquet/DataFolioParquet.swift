// The DataFolioParquet module.
