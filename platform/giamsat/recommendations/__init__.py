"""Recommendations (kiến nghị): each item of a recommendation letter tracked to its answer and
to implementation, with reminders, escalation to the next-higher Front and re-supervision."""
