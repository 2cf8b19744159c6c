"""The enquiries app's modules import one way: no cycle, hidden in a function or not.

Layers, top to bottom: `enquiries.tasks` (delivery) → `enquiries.models` (which store what
emails render and serve the form page) → `enquiries.forms`, `enquiries.emails` → the leaf
`enquiries.choices`. Read from the source, so a function-level import counts too.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SOURCES = {
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
    for path in (ROOT / "enquiries").rglob("*.py")
    if "migrations" not in path.parts
}


def imported_modules(path: Path) -> set[str]:
    """The app's modules that `path` imports anywhere in its code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found & SOURCES.keys()


GRAPH = {module: imported_modules(path) for module, path in SOURCES.items()}


def reachable(start: str) -> set[str]:
    """Every module that importing `start` imports, directly or through others."""
    seen, todo = set(), [start]
    while todo:
        for imported in GRAPH[todo.pop()] - seen:
            seen.add(imported)
            todo.append(imported)
    return seen


def test_no_module_of_the_app_imports_itself_back():
    cycles = sorted(module for module in GRAPH if module in reachable(module))
    assert cycles == []


def test_models_never_import_the_tasks_and_forms_and_emails_never_import_the_models():
    for module in GRAPH:
        if module == "enquiries.models" or module.startswith("enquiries.models."):
            assert "enquiries.tasks" not in reachable(module), module
    for module in ["enquiries.choices", "enquiries.emails", "enquiries.forms"]:
        below = reachable(module)
        assert not {m for m in below if m.startswith(("enquiries.models", "enquiries.tasks"))}
