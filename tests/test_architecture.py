"""Imports run one way: UI/CLI → assistant (public API) → retrieval; eval uses the public API.

Every import statement of the shipped source is read with ``ast`` (imports inside functions
count too, since a late import is still a dependency), relative imports resolved, and each
layer checked against what it may reach.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What eval (and any other outside user) may import: the facade, its plain data, its
# settings and its errors. Everything else in assistant/ and retrieval/ is internal.
PUBLIC_API = {"assistant", "assistant.api", "assistant.types", "assistant.settings", "assistant.errors"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, module_name: str | None = None) -> set[str]:
    """The absolute names of every module the file imports (``from a import b`` gives ``a``
    and, when ``a.b`` is a module of ours, ``a.b``); module_name: the file's own dotted name
    (default: from its place in the tree)."""
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    own = module_name or _module_name(path)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if package else []
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            for alias in node.names:
                candidate = ROOT.joinpath(*f"{module}.{alias.name}".split("."))
                if candidate.with_suffix(".py").exists() or (candidate / "__init__.py").exists():
                    found.add(f"{module}.{alias.name}")
    return found


def _files(*patterns: str) -> list[Path]:
    files = sorted({p for pattern in patterns for p in ROOT.glob(pattern)})
    assert files, f"no source files match {patterns}"
    return files


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _violations(files: list[Path], forbidden) -> list[str]:
    return [f"{f.relative_to(ROOT)} imports {m}" for f in files for m in sorted(imports_of(f)) if forbidden(m)]


def test_assistant_never_imports_eval():
    assert _violations(_files("assistant/**/*.py"), lambda m: _under(m, "eval")) == []


def test_retrieval_imports_neither_assistant_nor_eval():
    files = _files("retrieval/**/*.py")
    assert _violations(files, lambda m: _under(m, "assistant") or _under(m, "eval")) == []


def test_ui_uses_the_assistant_not_retrieval():
    files = _files("streamlit_app.py", "ui_shell.py", "pages/*.py")
    assert _violations(files, lambda m: _under(m, "retrieval") or _under(m, "eval")) == []


def test_eval_uses_only_the_public_api():
    def internal(m: str) -> bool:
        return _under(m, "retrieval") or (_under(m, "assistant") and m not in PUBLIC_API)

    assert _violations(_files("eval/**/*.py"), internal) == []


def test_tests_take_fixtures_from_pytest_and_helpers_from_support_never_from_a_conftest():
    """Issue 12.5: a conftest holds fixtures, which pytest hands to the tests under it;
    shared constants and helpers live in tests/support, so no module imports a conftest."""
    files = _files("tests/**/*.py")
    assert _violations(files, lambda m: m.rsplit(".", 1)[-1] == "conftest") == []


@pytest.mark.parametrize(
    "module, source, expected",
    [
        ("assistant.cli", "from eval.cli import add_eval_parser\n", {"eval.cli"}),
        ("assistant.cli", "def f():\n    from eval.gate import gate_status\n", {"eval.gate"}),
        ("assistant.cli", "from .studio import cli\n", {"assistant.studio", "assistant.studio.cli"}),
        ("assistant.generation.x", "from .. import api\n", {"assistant", "assistant.api"}),
        ("eval.x", "import retrieval.search as s\n", {"retrieval.search"}),
    ],
)
def test_the_reader_sees_every_kind_of_import(tmp_path, module, source, expected):
    """The checker itself: absolute, late (inside a function) and relative imports."""
    probe = tmp_path / "probe.py"
    probe.write_text(source, "utf-8")
    assert imports_of(probe, module) == expected
