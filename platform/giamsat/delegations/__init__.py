"""Supervision delegations (Đoàn giám sát): plan, decision, notice, sessions, results, letter.

The procedure follows NQLT 403/2017 as the Front handbooks describe it; each step is a service
call that checks its dates and people and writes an audit record with the change.
"""
