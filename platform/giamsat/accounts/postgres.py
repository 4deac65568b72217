"""A live session in one statement on PostgreSQL: every authenticated request looks one up.

Sessions sit behind row-level security like every tenant table, so a plain lookup needs its own
transaction (BEGIN, ``set_config``, SELECT, COMMIT: four round trips) before the request's real
work opens another. ``giamsat_live_session`` sets the system path and reads the session in one
statement's implicit transaction (one round trip); the path it sets ends with that statement.
It grants nothing new: the application role may set the system path itself. The statement is
idempotent; the migrate step runs it after the tables exist.
"""

from __future__ import annotations

_FUNCTION = """
CREATE OR REPLACE FUNCTION giamsat_live_session(p_token_hash text, p_now timestamptz)
RETURNS TABLE (
    session_id integer, csrf_token text, language text, second_factor_at timestamptz,
    user_id integer, username text, full_name text, role text, organisation text,
    active boolean,
    committee_id integer, committee_code text, committee_name text, committee_level text,
    committee_path text, committee_valid_to date
)
LANGUAGE sql VOLATILE AS $$
    SELECT set_config('app.tenant_path', '/', true);
    SELECT s.id, s.csrf_token::text, s.language::text, s.second_factor_at,
           u.id, u.username::text, u.full_name::text, u.role::text, u.organisation::text,
           u.active,
           c.id, c.code::text, c.name::text, c.level::text, c.path::text,
           c.valid_to
      FROM app_session s
      JOIN app_user u ON u.id = s."user"
      JOIN committee c ON c.id = s.committee
     WHERE s.token_hash = p_token_hash AND s.stage = '' AND s.expires_at > p_now;
$$
"""

#: The lookup the request middleware runs (bound parameters: token hash, now).
LIVE_SESSION = "SELECT * FROM giamsat_live_session({}, {})"


def postgres_statements() -> list[str]:
    """SQL creating the one-statement session lookup."""
    # dropped first: CREATE OR REPLACE cannot change the columns a function returns
    return ["DROP FUNCTION IF EXISTS giamsat_live_session(text, timestamptz)", _FUNCTION.strip()]
