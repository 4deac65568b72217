"""The Dockerfile, read structurally (no Docker engine here): stages, user, no compiler shipped."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from deploy_support import REPO

COMPILERS = {"gcc", "g++", "cc", "clang", "make", "build-essential", "libc6-dev"}


@dataclass
class Stage:
    """One ``FROM`` block: its name and its instructions as (keyword, argument) pairs."""

    name: str
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def arguments(self, keyword: str) -> list[str]:
        return [arg for kw, arg in self.instructions if kw == keyword]


def parse_dockerfile(text: str) -> list[Stage]:
    """Split a Dockerfile into stages, joining continued lines and dropping comments."""
    joined = re.sub(r"\\\n", " ", text)
    stages: list[Stage] = []
    for raw in joined.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, argument = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = argument.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else str(len(stages))
            stages.append(Stage(name=name, base=words[0]))
        elif stages:
            stages[-1].instructions.append((keyword, argument.strip()))
    return stages


def installed_apt_packages(stage: Stage) -> set[str]:
    packages: set[str] = set()
    for command in stage.arguments("RUN"):
        for part in re.split(r"&&|;", command):
            words = shlex.split(part)
            if words[:2] == ["apt-get", "install"]:
                packages |= {w for w in words[2:] if not w.startswith("-")}
    return packages


def stages() -> list[Stage]:
    return parse_dockerfile((REPO / "Dockerfile").read_text(encoding="utf-8"))


def test_build_stage_has_the_compiler_durable_rules_needs() -> None:
    # given the first stage
    build = stages()[0]
    # then it installs gcc and g++ and installs the core and both channel plugins
    assert {"gcc", "g++"} <= installed_apt_packages(build)
    install = [c for c in build.arguments("RUN") if "pip install ." in c]
    assert len(install) == 1
    for distribution in (" . ", "./plugins/workplace", "./plugins/residence"):
        assert distribution in f"{install[0]} "


def test_runtime_stage_ships_no_compiler_and_runs_unprivileged() -> None:
    # given the final stage
    all_stages = stages()
    runtime = all_stages[-1]
    # then it is a separate stage that copies the finished virtualenv from the build stage
    assert len(all_stages) >= 2
    assert runtime.name != all_stages[0].name
    assert any(f"--from={all_stages[0].name}" in c for c in runtime.arguments("COPY"))
    # and installs no compiler or build tool
    assert installed_apt_packages(runtime) & COMPILERS == set()
    assert not any("pip install" in c for c in runtime.arguments("RUN"))
    # and its last USER is a fixed numeric non-root uid, matching the chart's runAsUser
    user = runtime.arguments("USER")[-1]
    uid = user.split(":")[0]
    assert uid.isdigit()
    assert int(uid) == 10001


def test_image_entrypoint_is_the_giamsat_command() -> None:
    # given the final stage
    runtime = stages()[-1]
    # then the container runs `giamsat`, serving the web app unless told otherwise
    assert runtime.arguments("ENTRYPOINT") == ['["giamsat"]']
    assert runtime.arguments("CMD") == ['["serve", "--host", "0.0.0.0", "--port", "8000"]']
    assert "8000" in runtime.arguments("EXPOSE")


def test_runtime_finds_the_migrations_the_chart_points_at() -> None:
    # given the final stage
    runtime = stages()[-1]
    # then migrations are copied to the directory GIAMSAT_MIGRATIONS_DIR names
    env = " ".join(runtime.arguments("ENV"))
    assert "GIAMSAT_MIGRATIONS_DIR=/app/migrations" in env
    workdir = PurePosixPath(runtime.arguments("WORKDIR")[-1])
    copied = [c.split()[-2:] for c in runtime.arguments("COPY") if "migrations" in c]
    assert copied
    assert workdir / copied[0][1] == PurePosixPath("/app/migrations")


def test_build_context_keeps_sources_and_drops_local_state() -> None:
    # given the .dockerignore patterns
    patterns = {
        line.strip()
        for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    # then local environments and VCS data stay out, and nothing the build copies is excluded
    assert {".git", ".venv", "**/__pycache__"} <= patterns
    copied = set()
    for stage in stages():
        for argument in stage.arguments("COPY"):
            words = [w for w in argument.split() if not w.startswith("--")]
            copied |= set(words[:-1])
    assert copied
    assert copied & patterns == set()
