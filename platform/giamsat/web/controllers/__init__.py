"""Thin controllers: inject, call one service, return a struct or a page."""
