"""Accounts of a committee's staff: users, roles, sessions, login throttling."""
