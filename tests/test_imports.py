"""The import rules of the layout (README "Layout", issue 11; STYLE.md "Layers that do not leak").

Read from the source with ``ast``, every import counted, the ones inside functions too:

* messaging imports nothing of loans (loans tells messaging what to send, never the reverse);
* products imports nothing of loans (loans builds on the catalogue);
* risk imports nothing of loans (loans gathers what the rules read and keeps their decisions);
* ledger imports nothing of loans (loans posts to the books with the figures; the books know a
  loan only by its id and its foreign key);
* loans imports nothing of recovery (collections listen to ``loans.signals``);
* no module imports, directly or through others, a module of its own app that imports it back.

(The amortisation maths and the loan-term vocabulary import only the standard library:
``tests/loans/test_amortization.py``.)
"""

import ast
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cashloan", "accounts", "products", "ledger", "loans", "risk", "messaging", "recovery")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every first-party module (packages by their ``__init__``), by dotted name."""
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute name of a ``from ... import`` source (``from .. import x`` in a package)."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


@cache
def imports_of(module: str) -> frozenset[str]:
    """The modules ``module`` imports: ``from a import b`` names ``a.b`` when that is a module."""
    path = modules()[module]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, path, node)
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in modules() else source)
    return frozenset(found)


def _app(module: str) -> str:
    return module.split(".")[0]


def _imports_into(app: str, target_app: str) -> list[str]:
    return sorted(
        f"{module} imports {imported}"
        for module in modules()
        if _app(module) == app
        for imported in imports_of(module)
        if _app(imported) == target_app
    )


@pytest.mark.parametrize(
    "app, forbidden",
    [("messaging", "loans"), ("products", "loans"), ("risk", "loans"), ("ledger", "loans"), ("loans", "recovery"), ("messaging", "recovery")],
)
def test_an_app_never_imports_the_app_built_on_it(app, forbidden):
    assert _imports_into(app, forbidden) == []


def _cycles_within(app: str) -> list[list[str]]:
    """Strongly connected groups of more than one module (or a module importing itself)."""
    graph = {
        module: sorted(imported for imported in imports_of(module) if imported in modules() and _app(imported) == app)
        for module in modules()
        if _app(module) == app
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's algorithm
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in graph[module]:
                groups.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return groups


@pytest.mark.parametrize("app", APPS)
def test_no_import_cycle_inside_an_app(app):
    assert _cycles_within(app) == []


def test_the_cycle_finder_finds_a_cycle(monkeypatch):
    """The check above can fail: two modules importing each other are reported."""
    fake = {"loans.a": frozenset({"loans.b"}), "loans.b": frozenset({"loans.a"}), "loans.c": frozenset({"loans.a"})}
    monkeypatch.setattr(sys.modules[__name__], "modules", lambda: dict.fromkeys(fake, None))
    monkeypatch.setattr(sys.modules[__name__], "imports_of", fake.__getitem__)
    assert _cycles_within("loans") == [["loans.a", "loans.b"]]
