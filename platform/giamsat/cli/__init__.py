"""The ``giamsat`` console command: one click group per area, discovered in this package."""
