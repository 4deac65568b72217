"""The decision step: committed signals → the pack in force → cases.

The path of a signal, top to bottom:

1. ``intake`` / ``portal`` commit signals through ``signals`` (which stores, and knows nothing
   of packs), then call :func:`giamsat.decisions.service.decide_after_commit` by name;
2. :func:`~giamsat.decisions.service.decide_signals` decides the batch as a set
   (:mod:`giamsat.decisions.batch`): the signals, cadres and every cadre's replayed signals
   read in one query per table (``plans.facts``), the packs in force kept per process by what
   is stored (``plans.in_force``), every signal evaluated through ``rulepacks``;
3. the signal's residence duties that the fired rules record at the residence
   (``record_at_residence``) go onto the member's residence record at the commune where the
   member lives (``residence.recording``), in the same transaction as the rest; only what
   opens a case goes on to step 4;
4. the decisions go to ``cases``' set-based opening (``cases.bulk_opening``: cases opened,
   signals attached, findings, audit and notifications in one transaction, under per-cadre
   locks), with what the pack allows later written onto the case as a
   :class:`~giamsat.cases.policy.CasePolicy` (:mod:`giamsat.decisions.policy`).

The ``decisions.pending`` job (:mod:`giamsat.decisions.jobs`) and ``giamsat rules
evaluate-pending`` decide whatever is still undecided, e.g. after a crash.
"""
