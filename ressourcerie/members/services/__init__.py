"""Domain verbs of the members package, one module per area."""
