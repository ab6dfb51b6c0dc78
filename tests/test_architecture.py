"""The apps import one another one way only: the layers of docs/architecture.md.

Every module of our apps is read (not imported) and every import in it, at the
top or inside a function, is checked against the layers below. An app may import
itself, any app on a lower layer, and on its own layer only the pairs named in
SAME_LAYER, each with its reason; models import no tasks, views or calendar code.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. Keep in step with docs/architecture.md.
LAYERS: list[set[str]] = [
    {"lib"},
    {"core"},
    {"organisations", "audit"},
    {"accounts", "guidance"},
    {"values", "guidelines", "meetings", "provisioning"},
    {"dilemmas", "acknowledgements"},
    {"practice"},
    {"reflections"},
    {"evaluations"},
    {"insights", "privacy"},
    {"home"},
    {"config"},
]
LAYER = {app: level for level, apps in enumerate(LAYERS) for app in apps}

# Imports between two apps of one layer, each for a reason (docs/architecture.md).
SAME_LAYER = {
    # The access decorator writes refusals to the audit log; the audit log's
    # pages are behind the access decorator.
    ("organisations", "audit"),
    ("audit", "organisations"),
    # Guidelines are content of a version of the value base; the value base's
    # editor, text format and Word import and export handle the whole document.
    ("guidelines", "values"),
    ("values", "guidelines"),
}

# What a models module never imports: it is imported by everything else.
NOT_FROM_MODELS = {"tasks", "views", "ics", "scheduling", "forms", "urls", "admin"}


def modules() -> Iterator[tuple[str, Path]]:
    for app in LAYER:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


def imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every module `name` imports, wherever in the file, with its line."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target, node.lineno
            # `from . import tasks` names modules, not attributes.
            for alias in node.names:
                yield f"{target}.{alias.name}", node.lineno


def against_the_layers() -> list[str]:
    wrong = []
    for name, path in modules():
        app = name.split(".")[0]
        for target, line in imports(name, path):
            other = target.split(".")[0]
            if other not in LAYER or other == app:
                continue
            if LAYER[other] < LAYER[app]:
                continue
            if LAYER[other] == LAYER[app] and (app, other) in SAME_LAYER:
                continue
            wrong.append(f"{path.relative_to(ROOT)}:{line} {app} -> {target}")
    return wrong


def test_every_import_points_down_the_layers():
    wrong = against_the_layers()
    assert not wrong, "Imports against the layers of docs/architecture.md:\n" + (
        "\n".join(wrong)
    )


def test_models_import_no_tasks_views_or_calendar_code():
    wrong = []
    for name, path in modules():
        if "models" not in name.split(".")[1:]:
            continue
        for target, line in imports(name, path):
            if set(target.split(".")[1:]) & NOT_FROM_MODELS:
                wrong.append(f"{path.relative_to(ROOT)}:{line} -> {target}")
    assert not wrong, "\n".join(wrong)


def test_apps_of_one_layer_form_no_cycle_of_modules():
    """Where two apps of a layer import each other, their modules still do not."""
    known = {name for name, _path in modules()}
    graph: dict[str, set[str]] = {}
    for name, path in modules():
        app = name.split(".")[0]
        graph[name] = {
            target
            for target, _line in imports(name, path)
            if target in known and target.split(".")[0] != app
        }
    # Reachability over modules of other apps: a path back to the start is a cycle.
    for start, targets in graph.items():
        seen, todo = set(), list(targets)
        while todo:
            module = todo.pop()
            if module == start:
                pytest.fail(f"{start} imports itself through another app")
            if module not in seen:
                seen.add(module)
                todo.extend(graph.get(module, ()))


def test_the_layers_cover_every_app_and_the_test_sees_a_wrong_arrow(tmp_path):
    from django.conf import settings

    ours = {app.split(".")[0] for app in settings.INSTALLED_APPS} & {
        path.name for path in ROOT.iterdir() if (path / "apps.py").exists()
    }
    assert ours <= set(LAYER), ours - set(LAYER)
    # The reader finds an upward import inside a function, relative or not.
    probe = tmp_path / "models.py"
    probe.write_text("def f():\n    from . import tasks\n    import home.views\n")
    found = {target for target, _line in imports("meetings.models", probe)}
    assert {"meetings.tasks", "home.views"} <= found


# Rooms of a size a person can hold: a module over MODULE_LINES lines or a
# function over FUNCTION_LINES lines (from its `def` to its last line) says why in
# a comment, `# long: <reason>`: a module at the top of the file, before its
# first statement; a function on the line of its `def` or the line above it (or
# above its decorators).
MODULE_LINES = 600
FUNCTION_LINES = 60
REASON = "# long:"

# Not split yet: none now. Each entry left this list when its room was made
# smaller; the test fails on an entry that is no longer too long, so the list
# only shrinks.
NOT_YET_SMALL: set[str] = set()


def _with_reason(lines: list[str], line: int) -> bool:
    """Whether line `line` (1-based) or the line above it gives a reason."""
    return any(
        REASON in lines[number - 1] for number in (line, line - 1) if number >= 1
    )


def too_long(path: Path) -> Iterator[str]:
    """The rooms of `path` over the limits without a reason, as list entries."""
    name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source, str(path))
    if len(lines) > MODULE_LINES:
        first = tree.body[0].lineno if tree.body else len(lines) + 1
        if not any(line.startswith(REASON) for line in lines[: first - 1]):
            yield name

    def walk(node: ast.AST, prefix: str) -> Iterator[str]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                qualname = f"{prefix}{child.name}"
                top = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                length = (child.end_lineno or child.lineno) - child.lineno + 1
                if length > FUNCTION_LINES and not (
                    _with_reason(lines, child.lineno) or _with_reason(lines, top)
                ):
                    yield f"{name}:{qualname}"
                yield from walk(child, f"{qualname}.")

    yield from walk(tree, "")


def test_modules_and_functions_are_of_a_size_a_person_can_hold():
    found = {entry for _name, path in modules() for entry in too_long(path)}
    new = sorted(found - NOT_YET_SMALL)
    assert not new, (
        f"Over {MODULE_LINES} lines a module, over {FUNCTION_LINES} a function: "
        f"split it, or say why in a '{REASON} <reason>' comment:\n" + "\n".join(new)
    )
    smaller = sorted(NOT_YET_SMALL - found)
    assert not smaller, (
        "No longer too long: take these out of NOT_YET_SMALL:\n" + "\n".join(smaller)
    )


def test_the_size_check_sees_a_long_function_and_a_reason(tmp_path):
    body = "".join(f"    x{n} = {n}\n" for n in range(FUNCTION_LINES))
    probe = tmp_path / "probe.py"
    probe.write_text(
        "class Runner:\n"
        f"    @staticmethod\n    def step():\n{body.replace('    ', '        ')}"
        f"def short():\n    return 1\n"
        f"@property\ndef long():\n{body}"
    )
    assert set(too_long(probe)) == {"probe.py:Runner.step", "probe.py:long"}
    probe.write_text(
        "class Runner:\n"
        f"    {REASON} one pass over the steps\n"
        f"    @staticmethod\n    def step():\n{body.replace('    ', '        ')}"
        f"def long():  {REASON} a table written out\n{body}"
    )
    assert set(too_long(probe)) == set()
    probe.write_text("x = 1\n" * (MODULE_LINES + 1))
    assert set(too_long(probe)) == {"probe.py"}
    probe.write_text(f"{REASON} generated\n" + "x = 1\n" * MODULE_LINES)
    assert set(too_long(probe)) == set()
