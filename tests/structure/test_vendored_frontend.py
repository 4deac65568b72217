"""The design system is vendored, not fetched: the committed build is what frontend/ declares.

`make frontend` (npm) rebuilds platform/giamsat/web/static/vendor from frontend/package.json;
a clean clone needs no npm because the build is committed with its MANIFEST.json.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "platform/giamsat/web/static/vendor"


def test_the_committed_build_matches_its_manifest_and_the_declared_packages() -> None:
    # given the manifest the build wrote and the packages frontend/ pins
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text(encoding="utf-8"))
    declared = json.loads((ROOT / "frontend/package.json").read_text(encoding="utf-8"))
    # when the committed files are hashed
    actual = {
        name: hashlib.sha256((ROOT / name).read_bytes()).hexdigest() for name in manifest["files"]
    }
    # then each is exactly what the build produced, from exactly the pinned versions
    assert actual == manifest["files"], "vendored files edited by hand: run `make frontend`"
    assert manifest["packages"] == declared["devDependencies"]
    on_disk = {str(p.relative_to(ROOT)) for p in VENDOR.rglob("*") if p.is_file()}
    assert on_disk - {str((VENDOR / "MANIFEST.json").relative_to(ROOT))} <= set(actual)


def test_pages_load_nothing_from_elsewhere() -> None:
    # given every template and stylesheet of the package
    sources = [*ROOT.glob("platform/giamsat/**/templates/**/*.html")]
    sources += [*ROOT.glob("platform/giamsat/web/static/*.css")]
    # when they are searched for absolute URLs in src/href/url()
    remote = re.compile(r"""(?:src|href)=["']https?://|url\(["']?https?://""")
    # then none loads a stylesheet, script or font from another server
    assert [str(p) for p in sources if remote.search(p.read_text(encoding="utf-8"))] == []
