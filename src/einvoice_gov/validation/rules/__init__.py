"""Rule declarations, one module per family. Importing a module registers its rules."""
