"""pyproject.toml and environment.yml must pin the same packages at the same versions, so a
conda user and a pip user run the same code (scheduled reports are only reproducible then)."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml
from presslens import config

PYPROJECT = config.PROJECT_ROOT / "pyproject.toml"
ENVIRONMENT = config.PROJECT_ROOT / "environment.yml"
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*?)\s*(?:;.*)?$")


def canonical_name(name: str) -> str:
    """PEP 503 normalisation: case, '_' and '.' do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_pins(requirements: list[str], where: str) -> dict[str, str]:
    """name -> version specifier ('==1.2.3', or '' when unpinned)."""
    pins: dict[str, str] = {}
    for requirement in requirements:
        text = requirement.strip()
        if not text or text.startswith("-e") or text in (".", "-e ."):
            continue
        match = _REQUIREMENT.match(text)
        assert match, f"{where}: cannot read requirement {requirement!r}"
        name = canonical_name(match.group(1))
        assert name not in pins, f"{where}: {name} listed twice"
        pins[name] = match.group(2).replace(" ", "")
    return pins


def pyproject_pins() -> dict[str, str]:
    with open(PYPROJECT, "rb") as handle:
        project = tomllib.load(handle)["project"]
    requirements = list(project.get("dependencies", []))
    requirements += project.get("optional-dependencies", {}).get("dev", [])
    return parse_pins(requirements, "pyproject.toml")


def environment_pins() -> dict[str, str]:
    with open(ENVIRONMENT, encoding="utf-8") as handle:
        environment = yaml.safe_load(handle)
    pip_lists = [
        entry["pip"] for entry in environment.get("dependencies", [])
        if isinstance(entry, dict) and "pip" in entry
    ]
    assert pip_lists, "environment.yml has no pip: list"
    return parse_pins([str(item) for items in pip_lists for item in items], "environment.yml")


@pytest.fixture(scope="module")
def pins() -> tuple[dict[str, str], dict[str, str]]:
    if not PYPROJECT.exists() or not ENVIRONMENT.exists():
        pytest.skip("not running from a source checkout")
    return pyproject_pins(), environment_pins()


def test_every_pyproject_pin_is_in_environment_yml(pins):
    project, environment = pins
    missing = sorted(set(project) - set(environment))
    assert not missing, f"in pyproject.toml but not in environment.yml: {missing}"


def test_every_environment_yml_pin_is_in_pyproject(pins):
    project, environment = pins
    missing = sorted(set(environment) - set(project))
    assert not missing, f"in environment.yml but not in pyproject.toml: {missing}"


def test_pins_are_identical_and_exact(pins):
    project, environment = pins
    differ = {
        name: (project[name], environment[name])
        for name in sorted(set(project) & set(environment))
        if project[name] != environment[name]
    }
    assert not differ, f"pins differ (pyproject, environment.yml): {differ}"
    loose = sorted(name for name, spec in project.items() if not spec.startswith("=="))
    assert not loose, f"not pinned exactly with ==: {loose}"


def test_the_parser_sees_differences():
    """The checks above would catch drift: a changed pin or a case/underscore variant."""
    left = parse_pins(["PyYAML==6.0.4", "charset_normalizer==3.5.3", "-e ."], "left")
    right = parse_pins(["pyyaml==6.0.4", "charset-normalizer==3.5.2"], "right")
    assert set(left) == set(right) == {"pyyaml", "charset-normalizer"}
    assert left["charset-normalizer"] != right["charset-normalizer"]
    assert parse_pins(["pandas[parquet] == 3.1.1 ; python_version>'3'"], "x") == {
        "pandas": "==3.1.1"}
