"""Observability (giám sát vận hành): Prometheus metrics, structured JSON logs, request ids.

Other areas import the metric objects from :mod:`giamsat.observability.metrics` and increment
them; the web app serves ``/metrics`` (see :mod:`.controllers`) and wraps every routed request in
:func:`giamsat.observability.middleware.observe_requests`.
"""
