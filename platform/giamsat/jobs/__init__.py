"""Scheduled work (công việc định kỳ) that runs exactly once per slot across all app processes.

Jobs are named and periodic. Time is cut into slots of the job's interval; the first process to
insert the ``job_run`` row of a slot runs it, every other process skips. ``giamsat jobs sweep``
(a Kubernetes CronJob) runs every due job once; no replica keeps a timer of its own.
"""
