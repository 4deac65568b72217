"""Notifications (thông báo): in-app messages for a committee's staff, and e-mail via an outbox.

:func:`giamsat.notifications.service.notify` writes both inside the caller's scope; mail leaves
only after commit, when :func:`giamsat.notifications.outbox.deliver_outbox` runs (the
``outbox.deliver`` job). Mail carries the title and a link, never the body, so nothing about a
reporter (người phản ánh) can travel by mail.
"""
