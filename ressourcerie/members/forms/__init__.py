"""Forms of the members package, one module per area."""
