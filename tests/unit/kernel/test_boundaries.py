"""Import boundaries, read from the source: services stay apart, domains stay pure, contracts stand alone."""

import ast
from pathlib import Path

import pytest

from innoportal.services import SERVICES

ROOT = Path(__file__).resolve().parents[3]
FRAMEWORKS = ("fastapi", "faststream", "sqlalchemy", "sqlmodel", "nats", "aiosmtplib",
              "starlette", "uvicorn", "aiosqlite", "asyncpg")


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every import in `path`, relative ones resolved, lazy ones too."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from services import wishes` imports services.wishes.
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
        elif (isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name))
              and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value))
    return found


def is_under(module: str, root: str) -> bool:
    return module == root or module.startswith(root + ".")


def is_domain(path: Path) -> bool:
    return path.stem == "domain" or "domain" in path.relative_to(ROOT).parts[:-1]


def violations(paths: list[Path], forbidden) -> list[str]:
    out = []
    for path in paths:
        for line, module in imported_modules(path):
            if forbidden(module):
                out.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return out


def test_the_scanner_sees_relative_lazy_and_from_imports():
    # The checks below are only as good as the scanner: show it on real code of the repository.
    modules = {m for _, m in imported_modules(ROOT / "services" / "wishes" / "api.py")}
    assert {"fastapi", "services.wishes.service", "innoportal.auth"} <= modules
    # `from services.wishes import domain` is seen as importing services.wishes.domain.
    modules = {m for _, m in imported_modules(ROOT / "services" / "wishes" / "service.py")}
    assert {"services.wishes.domain", "contracts", "innoportal.uow"} <= modules
    lazy = {m for _, m in imported_modules(ROOT / "innoportal" / "services.py")}
    assert "faststream.specification" in lazy  # imported inside a function


def test_every_service_has_a_package():
    for name in SERVICES:
        assert (ROOT / "services" / name / "__init__.py").exists(), name


@pytest.mark.parametrize("name", list(SERVICES))
def test_services_never_import_each_other(name):
    others = [f"services.{other}" for other in SERVICES if other != name]
    found = violations(python_files(ROOT / "services" / name),
                       lambda m: any(is_under(m, o) for o in others))
    assert not found, "services import only contracts and innoportal:\n" + "\n".join(found)


@pytest.mark.parametrize("name", list(SERVICES))
def test_domain_modules_import_no_framework(name):
    domain = [p for p in python_files(ROOT / "services" / name) if is_domain(p)]
    found = violations(domain, lambda m: any(is_under(m, f) for f in FRAMEWORKS))
    assert not found, "domain code is plain Python:\n" + "\n".join(found)


@pytest.mark.parametrize("name", ["wishes", "solutions"])
def test_finished_services_have_a_domain_module(name):
    assert any(is_domain(p) for p in python_files(ROOT / "services" / name))


def test_contracts_import_neither_kernel_nor_services():
    found = violations(python_files(ROOT / "contracts"),
                       lambda m: is_under(m, "innoportal") or is_under(m, "services"))
    assert not found, "contracts stand alone:\n" + "\n".join(found)


def test_kernel_imports_no_service():
    found = violations(python_files(ROOT / "innoportal"), lambda m: is_under(m, "services"))
    # services.py resolves service modules by name at run time (importlib with an f-string),
    # which is how the kernel reaches them without importing any.
    assert not found, "the kernel does not import services:\n" + "\n".join(found)
