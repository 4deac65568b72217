"""Published yearly plans: storing rule packs, choosing the one in force, simulating.

``service`` publishes (validate → store with audit, all or nothing) and looks packs up by
committee and date; ``additions`` layers lower committees' additions on a pack; ``facts``
replays a cadre's signals into the facts a pack evaluates; ``simulation`` replays existing
signals through a candidate pack. Deciding committed signals is ``giamsat.decisions``' work.
"""
