"""Built-in plugins, one package per policy area; found through the entry-point group."""
