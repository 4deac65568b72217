"""Errors of the audit log."""

from __future__ import annotations

from giamsat.errors import ConfigurationError, InvalidInput


class AuditOutsideScope(ConfigurationError):
    """``record`` was called without an open scope covering the committee: a programming error,
    because the audit row would not commit together with the change it records."""


class PersonalDataInDetails(InvalidInput):
    """Audit details must never carry personal data (họ tên, số điện thoại, địa chỉ …)."""
