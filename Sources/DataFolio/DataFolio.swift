// The DataFolio module.
