"""Audit log (nhật ký kiểm tra): append-only, one hash chain per committee.

Use :func:`giamsat.audit.service.record` inside the scope that makes the change, so the change and
its audit row commit together; :func:`giamsat.audit.service.verify` walks every chain.
"""
