// The DataFolioTensors module.
