"""The layers point one way: emulation (the core) -> blocs -> awards -> api.

Every module of the project is read with ``ast``: its imports (at module
level and inside functions), the modules it loads by name
(``import_module("...")``, ``import_string("...")``) and the dotted module
paths it names in strings. A module may use its own layer and those below it,
never one above. Only the modules that wire or seed the whole project span
every layer; they are listed in SPANNING.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"emulation": 0, "blocs": 1, "awards": 2, "api": 3}

# Modules (or packages, with every module under them) allowed to import any layer.
SPANNING = (
    "emulation.settings",  # INSTALLED_APPS names the apps
    "emulation.urls",  # the project's URLconf includes the apps' URLs
    "emulation.demo",  # the demo builds a whole province's years
    "emulation.backup",  # the year backup exports and imports every app's rows
    "emulation.management.commands.seed_demo",
    "emulation.management.commands.generate_load_data",
)

LOADERS = {"import_module", "import_string", "__import__"}
# "blocs.selectors.ranking" names a module; "blocs.Agency" (a model label) and
# "blocs.blocyear:12" (a record's key) do not.
DOTTED_PATH = re.compile(r"^[a-z_]+(\.[a-z_][a-z0-9_]*){2,}$")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path for top in LAYERS for path in sorted((ROOT / top).rglob("*.py"))
    }


def referenced_modules(
    name: str, source: str, *, is_package: bool = False
) -> list[tuple[int, str]]:
    """(line, module) for everything the source imports or loads by name."""
    package = name if is_package else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                found.append((node.lineno, ".".join([*base, *filter(None, [node.module])])))
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in LOADERS and node.args and isinstance(node.args[0], ast.Constant):
                found.append((node.lineno, str(node.args[0].value)))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and DOTTED_PATH.match(node.value)
        ):
            found.append((node.lineno, node.value))
    return sorted(set(found))


def is_spanning(name: str) -> bool:
    return any(name == allowed or name.startswith(allowed + ".") for allowed in SPANNING)


def violations(name: str, source: str, *, is_package: bool = False) -> list[str]:
    """The references of module ``name`` that point up the layers."""
    own = LAYERS.get(name.split(".")[0])
    if own is None or is_spanning(name):
        return []
    return [
        f"{name}:{line} -> {target}"
        for line, target in referenced_modules(name, source, is_package=is_package)
        if LAYERS.get(target.split(".")[0], -1) > own
    ]


def test_no_module_imports_a_layer_above_its_own():
    found = []
    for name, path in project_modules().items():
        found += violations(name, path.read_text(), is_package=path.name == "__init__.py")
    assert found == []


def test_every_spanning_module_exists():
    modules = project_modules()
    for allowed in SPANNING:
        assert any(m == allowed or m.startswith(allowed + ".") for m in modules), allowed


BAD_SOURCES = [
    # (module, source): each points up the layers once.
    ("emulation.audit", "from blocs.models import BlocYear\n"),
    ("emulation.excel", "import awards.models\n"),
    ("blocs.views.organisation", "def f():\n    from awards.selectors import meeting\n"),
    ("blocs.selectors.ranking", "class A:\n    def f(self):\n        import awards.enums\n"),
    ("emulation.views", "from importlib import import_module\nimport_module('awards.views')\n"),
    ("emulation.dashboard", "PROVIDERS = ['blocs.dashboard.tasks_for']\n"),
    (
        "emulation.documents.spec",
        "from django.utils.module_loading import import_string\n"
        "import_string('blocs.selectors.ranking_for')\n",
    ),
]


@pytest.mark.parametrize(("name", "source"), BAD_SOURCES)
def test_an_import_against_the_direction_is_flagged(name, source):
    assert len(violations(name, source)) == 1


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("awards.services.voting", "from blocs.selectors import ranking_for\n"),
        ("awards.views.documents", "from emulation.documents import render_pdf\n"),
        ("blocs.views.registration", "from emulation.uploads import protected_download\n"),
        ("blocs.hooks", "from . import enums\n"),
        ("emulation.models", 'FK = "blocs.Agency"\nKEY = "blocs.blocyear:12"\n'),
        ("emulation.demo.awards", "import_module('awards.migrations.0002_load_catalogue')\n"),
        ("emulation.urls", "include('blocs.urls')\n"),
    ],
)
def test_an_import_along_the_direction_is_not_flagged(name, source):
    assert violations(name, source) == []


def test_a_relative_import_is_resolved_to_its_module():
    assert referenced_modules("blocs.views.organisation", "from ..selectors import x\n") == [
        (1, "blocs.selectors")
    ]
    assert referenced_modules("blocs.views", "from . import organisation\n", is_package=True) == [
        (1, "blocs.views")
    ]
