"""``bloc_year_advance`` is the only writer of ``BlocYear.phase``: this test
reads every module of the project and fails on any other write of a ``phase``
field — an assignment, a ``phase=`` given to ``update``/``create``/a model, a
``setattr`` — except a new bloc-year created at the first phase."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WRITER = "blocs/services/phase.py"
# Not the application: synthetic rows for the benchmark, written in bulk.
EXEMPT = {"emulation/management/commands/generate_load_data.py"}
WRITING_CALLS = {"update", "create", "get_or_create", "update_or_create", "BlocYear"}


def _is_first_phase(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "SETUP"
        and isinstance(node.value, ast.Name)
        and node.value.id == "Phase"
    )


def phase_writes(source: str) -> list[int]:
    """Line numbers of the writes of a ``phase`` field in ``source``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                parts = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
                if any(isinstance(p, ast.Attribute) and p.attr == "phase" for p in parts):
                    lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in WRITING_CALLS:
                lines += [
                    node.lineno
                    for kw in node.keywords
                    if kw.arg == "phase" and not _is_first_phase(kw.value)
                ]
            if name == "setattr" and len(node.args) > 1:
                field = node.args[1]
                if isinstance(field, ast.Constant) and field.value == "phase":
                    lines.append(node.lineno)
            if name == "bulk_update" and any(
                isinstance(c, ast.Constant) and c.value == "phase" for c in ast.walk(node)
            ):
                lines.append(node.lineno)
    return sorted(set(lines))


def project_modules():
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.split("/")[0] in {"tests", ".venv", "var", "scripts"}:
            continue
        if "/migrations/" in relative:
            continue
        yield relative, path


def test_nothing_but_the_phase_service_writes_a_phase():
    found = {
        relative: lines
        for relative, path in project_modules()
        if relative != WRITER and relative not in EXEMPT
        for lines in [phase_writes(path.read_text(encoding="utf-8"))]
        if lines
    }
    assert found == {}


def test_the_phase_service_is_found_writing():
    """The scan sees the writes it is there to refuse (it can fail)."""
    assert phase_writes((ROOT / WRITER).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "source",
    [
        "bloc_year.phase = Phase.VOTING",
        "a.phase, a.phase_changed_at = x, y",
        "BlocYear.objects.filter(pk=1).update(phase='voting')",
        "BlocYear(bloc=b, year=y, phase=Phase.REVIEW)",
        "setattr(bloc_year, 'phase', 'closed')",
        "BlocYear.objects.bulk_update(rows, ['phase'])",
    ],
)
def test_each_kind_of_write_is_caught(source):
    assert phase_writes(source) == [1]


@pytest.mark.parametrize(
    "source",
    [
        "BlocYear(bloc=b, year=y, phase=Phase.SETUP)",
        "if bloc_year.phase == Phase.VOTING: pass",
        "counts[bloc_year.phase] = counts.get(bloc_year.phase, 0) + 1",
        "BlocYear.objects.filter(phase__in=PHASES)",
    ],
)
def test_reading_and_creating_at_the_first_phase_are_not_writes(source):
    assert phase_writes(source) == []
