"""Database access: engines, the tenant scope, and the table registry."""
