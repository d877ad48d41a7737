"""The database: engine, named migrations, the shared tables, `Store`, and the
protocols that the capabilities depend on (import the modules; this one stays empty
so that capability tables can register without an import cycle)."""
