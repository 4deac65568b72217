"""The decision step: committed signals → the pack in force → cases.

The path of a signal, top to bottom:

1. ``intake`` / ``portal`` commit signals through ``signals`` (which stores, and knows nothing
   of packs), then call :func:`giamsat.decisions.service.decide_after_commit` by name;
2. :func:`~giamsat.decisions.service.decide_signals` loads the signals of the batch, the pack in
   force for each (receiving committee, date) once, the facts from ``plans.facts``, evaluates
   through ``rulepacks``;
3. the signal's residence duties that the fired rules record at the residence
   (``record_at_residence``) go onto the member's residence record at the commune where the
   member lives (``residence.recording``), in the same transaction as the rest; only what
   opens a case goes on to step 4;
4. each decision goes to ``cases``' public service (``cases.opening.open_case``, attach,
   findings), with what the pack allows later written onto the case as a
   :class:`~giamsat.cases.policy.CasePolicy` (:mod:`giamsat.decisions.policy`).

The ``decisions.pending`` job (:mod:`giamsat.decisions.jobs`) and ``giamsat rules
evaluate-pending`` decide whatever is still undecided, e.g. after a crash.
"""
