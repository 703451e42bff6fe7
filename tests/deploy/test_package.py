"""The wheel holds everything the code reads from its packages, and runs outside the checkout:
the default rules resolve inside the installed package and load."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("scoring", "streams")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of what the Dockerfile copies (the build leaves files beside it)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(src)],
                   check=True, capture_output=True, timeout=300)
    (built,) = out.glob("riskscorer-*.whl")
    return built


def data_files() -> list[str]:
    """The files of the packages that are not Python source."""
    return sorted(
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    )


def test_the_wheel_holds_every_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "streams/rules.toml" in names
    assert [f for f in data_files() if f not in names] == []


def test_the_default_rules_resolve_and_load_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    check = (
        "from pathlib import Path; import sys\n"
        "from streams.batch.rules_file import load_rules\n"
        "from streams.worker.settings import load\n"
        "settings = load()\n"
        "assert settings.rules_file.is_relative_to(Path(sys.argv[1]).resolve()), settings.rules_file\n"
        "print(load_rules(settings.rules_file).version)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISKSCORER_")} | {"PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-c", check, str(site)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
