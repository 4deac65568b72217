"""Append-only for real on PostgreSQL: a trigger refuses UPDATE, DELETE and TRUNCATE.

The table owner (who runs migrations) is exempt, so an operator can still repair or archive
under change control, and the tests can tamper as the owner to prove :func:`verify` notices.
The application connects as a non-owner role and can only append. The statements are
idempotent; the migrate step runs them after the tables exist.
"""

from __future__ import annotations

_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT tableowner FROM pg_tables
                                  WHERE schemaname = TG_TABLE_SCHEMA
                                    AND tablename = TG_TABLE_NAME), 'USAGE') THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    RAISE EXCEPTION 'audit_entry is append-only (nhật ký kiểm tra chỉ được ghi thêm): % refused',
        TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def postgres_statements() -> list[str]:
    """SQL making ``audit_entry`` append-only for every role but its owner."""
    return [
        _FUNCTION.strip(),
        "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry",
        "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
        "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
        "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry",
        "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()",
    ]
