"""Yearly supervision plans as declarative rule packs (kế hoạch giám sát hằng năm).

Pipeline: ``loader`` (YAML with lines → structs) → ``checks`` (references, cycles,
examples) → ``compiler`` (typed rules → durable_rules JSON and fact rows) →
``durable_eval`` / ``reference`` (two evaluators of the same compiled form) → ``decide``
(fired rules → :class:`Decision`). ``trial`` runs the engine in a child process.
"""

from giamsat.rulepacks.api import (
    DecisionChange,
    compile_pack,
    diff_decisions,
    evaluate,
    load_pack,
    pack_warnings,
    validate_pack,
)
from giamsat.rulepacks.compiler import CompiledPack
from giamsat.rulepacks.durable_eval import AsyncDurableEvaluator, DurableEvaluator
from giamsat.rulepacks.errors import FactsInvalid, PackError, PackInvalid, RuleEngineError
from giamsat.rulepacks.facts import CaseFacts, ClockDecision, Decision, FiredRule, Signal, Subject
from giamsat.rulepacks.model import RulePack
from giamsat.rulepacks.reference import ReferenceEvaluator

__all__ = [
    "AsyncDurableEvaluator",
    "CaseFacts",
    "ClockDecision",
    "CompiledPack",
    "Decision",
    "DecisionChange",
    "DurableEvaluator",
    "FactsInvalid",
    "FiredRule",
    "PackError",
    "PackInvalid",
    "ReferenceEvaluator",
    "RuleEngineError",
    "RulePack",
    "Signal",
    "Subject",
    "compile_pack",
    "diff_decisions",
    "evaluate",
    "load_pack",
    "pack_warnings",
    "validate_pack",
]
