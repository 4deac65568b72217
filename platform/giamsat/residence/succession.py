"""When a commune ends (a merge, a split, a new register), its residence records go to the
successor that takes over its work: the records are the members' dossiers, and the members'
residence moves there too (``tenancy.open_work.repoint_cadres``)."""

from __future__ import annotations

from giamsat.residence.tables import ResidenceAssessment, ResidenceFinding
from giamsat.tenancy.schemas import CommitteeView


async def move_records(kind: str, old: CommitteeView, new: CommitteeView) -> None:
    """Move ``old``'s residence findings and assessments to ``new`` (inside the caller's
    transaction); ``kind`` is the succession's (a split hands them to the first successor)."""
    await ResidenceFinding.update(
        {ResidenceFinding.committee: new.id, ResidenceFinding.tenant_path: new.path}
    ).where(ResidenceFinding.committee == old.id)
    await ResidenceAssessment.update(
        {ResidenceAssessment.committee: new.id, ResidenceAssessment.tenant_path: new.path}
    ).where(ResidenceAssessment.committee == old.id)
