"""The platform's errors carry one English message id; the reader's language comes from the
catalogue (``giamsat.web.errors``), never from a Vietnamese-and-English string in the code.

A raise site that hands a ``GiamsatError`` (or any subclass) a literal with Vietnamese letters
shows that text, untranslated, to everyone: "Mật khẩu … (a password needs …)" on an English page
and half English on a Vietnamese one. The walk below reads every module of the platform and the
shipped plugins, finds the error classes by their bases, and refuses such raise sites, including
a module-level constant raised by name and a subclass that words its own ``super().__init__``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = [ROOT / "platform" / "giamsat", ROOT / "plugins"]

#: Letters only Vietnamese uses among the Latin ones (tone marks, ă â đ ê ô ơ ư).
VIETNAMESE = re.compile(
    "[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
    "ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ]"
)


def _name(node: ast.expr) -> str:
    """The last part of a (dotted) name: ``errors.InvalidInput`` → ``InvalidInput``."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def error_classes(trees: list[ast.Module]) -> set[str]:
    """Every class name that descends from ``GiamsatError`` (by the names of its bases)."""
    bases = {
        node.name: {_name(base) for base in node.bases}
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    found = {"GiamsatError"}
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return found
        found |= more


def _vietnamese(node: ast.expr, constants: dict[str, str]) -> str | None:
    """The first Vietnamese literal inside ``node`` (or the constant it names), if any."""
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    for part in ast.walk(node):
        text = part.value if isinstance(part, ast.Constant) else None
        if isinstance(text, str) and VIETNAMESE.search(text):
            return text
    return None


def _message_of(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg in ("message", "template")), None)


def offending_raises(tree: ast.Module, classes: set[str], where: str) -> list[str]:
    """``where:line: source`` of each error of ``classes`` worded with Vietnamese letters."""
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        and VIETNAMESE.search(node.value.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    calls: list[ast.Call] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in classes:
            calls.append(node)
        if isinstance(node, ast.ClassDef) and {_name(b) for b in node.bases} & classes:
            # a subclass that words its message itself: super().__init__("…")
            calls.extend(
                call
                for call in ast.walk(node)
                if isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "__init__"
                and isinstance(call.func.value, ast.Call)
                and _name(call.func.value.func) == "super"
            )
    found = []
    for call in calls:
        message = _message_of(call)
        text = _vietnamese(message, constants) if message is not None else None
        if text is not None:
            found.append(f"{where}:{call.lineno}: {text[:70]!r}")
    return found


def _modules() -> list[tuple[str, ast.Module]]:
    paths = sorted(p for base in PRODUCT for p in base.rglob("*.py") if ".venv" not in p.parts)
    return [
        (str(p.relative_to(ROOT)), ast.parse(p.read_text(encoding="utf-8"), filename=str(p)))
        for p in paths
    ]


def test_the_walk_finds_a_bilingual_raise_site() -> None:
    # given a module with the old bilingual wording, by literal, f-string, constant and subclass
    source = """
class GiamsatError(Exception): ...
class InvalidInput(GiamsatError): ...
class NotFound(GiamsatError): ...
class Refused(InvalidInput):
    def __init__(self, code):
        super().__init__(f"Không có đơn vị mã {code} (no such committee)")
GONE = "Phiên đăng nhập đã hết hạn (log in again)"
def check(n):
    raise InvalidInput("Mật khẩu cần ít nhất 12 ký tự (a password needs 12)", field="password")
    raise InvalidInput(f"Năm phải từ 2000 đến {n} (the year must be 2000–{n})")
    raise errors.NotFound(GONE)
    raise InvalidInput(N_("A password needs at least %(n)s characters."), params={"n": 12})
    raise ValueError("không phải lỗi của nền tảng")
"""
    tree = ast.parse(source)
    # when it is walked
    found = offending_raises(tree, error_classes([tree]), "sample.py")
    # then the four bilingual sites are named, the catalogue one and the ValueError are not
    assert sorted(int(hit.split(":")[1]) for hit in found) == [7, 10, 11, 12]


def test_no_raise_site_words_a_platform_error_in_vietnamese() -> None:
    # given every module of the platform and the shipped plugins
    modules = _modules()
    assert len(modules) > 100
    classes = error_classes([tree for _, tree in modules])
    assert {"InvalidInput", "NotFound", "KeyInFlight", "CalendarError"} <= classes
    # when the raise sites of the platform's errors are read
    offenders = [hit for where, tree in modules for hit in offending_raises(tree, classes, where)]
    # then none passes Vietnamese letters: the message is an English id (N_) with params, and
    # the Vietnamese lives in locale/vi/LC_MESSAGES/messages.po
    assert offenders == []


def formatted_raises(tree: ast.Module, classes: set[str], where: str) -> list[str]:
    """``where:line`` of each error of ``classes`` whose message is an f-string: it can never be
    found in the catalogue, so a Vietnamese page shows it in English, ids and codes included."""
    return [
        f"{where}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and _name(node.func) in classes
        and isinstance(_message_of(node), ast.JoinedStr)
    ]


#: Modules whose errors only an operator reads, at the command line or in the server's log
#: while it starts, never a committee's staff on a page or through the API: they stay in
#: English (the operator's documentation is English) and are not counted below. A module
#: joins only when none of its raise sites runs while a request is served.
OPERATOR_MODULES: dict[str, str] = {
    "platform/giamsat/settings.py": "reads the configuration file and GIAMSAT_* variables at "
    "start-up, for the server or a CLI command",
    "platform/giamsat/db/engine.py": "turns GIAMSAT_DATABASE_URL into an engine at start-up",
    "platform/giamsat/db/migrate.py": "runs `giamsat db migrate`, an operator's command",
    "platform/giamsat/web/app.py": "assembles the app at start-up; its one check refuses a "
    "plugin's malformed NAV entry before any page is served",
}

#: The f-string raise sites still left from before the catalogue (issue #14), outside the
#: operator's modules: English only, some with internal values. The number may only go down;
#: convert one to ``N_("… %(name)s …")`` with ``params`` and lower it.
FORMATTED_LEFT = 0


def _product_formatted_raises() -> list[str]:
    modules = _modules()
    classes = error_classes([tree for _, tree in modules])
    return [
        hit
        for where, tree in modules
        if where not in OPERATOR_MODULES
        for hit in formatted_raises(tree, classes, where)
    ]


def test_no_new_raise_site_formats_its_message_in_code() -> None:
    # given every module of the platform and the shipped plugins but the operator's
    # when the raise sites whose message is an f-string are counted
    found = _product_formatted_raises()
    # then there are no more than were left, so every new message goes through the catalogue
    assert len(found) <= FORMATTED_LEFT, "\n".join(found)


def test_every_operator_allowance_names_a_module_that_still_needs_it() -> None:
    # given the operator's modules, each with its reason
    modules = dict(_modules())
    classes = error_classes(list(modules.values()))
    for where, reason in OPERATOR_MODULES.items():
        # then each is a module of the platform, said why, and still has an English f-string
        # raise site (an allowance no longer used is removed, not kept for later)
        assert where in modules, where
        assert reason.strip(), where
        assert formatted_raises(modules[where], classes, where), where
