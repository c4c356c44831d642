"""The set-up: the lock, environment.yml and the network guard agree with what the README promises."""
import re
import socket
from pathlib import Path

import pytest
from pytest_socket import SocketConnectBlockedError

ROOT = Path(__file__).resolve().parent.parent


def pins(text, pattern):
    return {m.group(1).lower(): m.group(2) for m in re.finditer(pattern, text, re.M)}


def test_environment_yml_pins_the_locked_versions():
    conda = pins((ROOT / "environment.yml").read_text(), r"^\s+- ([A-Za-z0-9_.-]+)=([^=\s]+)\s*$")
    lock = pins((ROOT / "requirements.lock").read_text(), r"^([A-Za-z0-9_.-]+)==([^\s;]+)")
    direct = pins((ROOT / "requirements.in").read_text(), r"^([A-Za-z0-9_.-]+)==([^\s;]+)")
    conda.pop("python")
    assert conda, "no pins found in environment.yml"
    for name, version in conda.items():
        assert lock.get(name) == version, f"{name}: environment.yml {version}, lock {lock.get(name)}"
    # uv only builds the make route's environment; conda users don't need it
    assert set(direct) - {"uv"} == set(conda)
    for name, version in direct.items():
        assert lock[name] == version, name


def test_the_dependency_floors_are_the_tested_versions():
    """pyproject.toml promises no older version than the tests run with (requirements.in pins it)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = pins((ROOT / "requirements.in").read_text(), r"^([A-Za-z0-9_.-]+)==([^\s;]+)")
    floors = dict(re.fullmatch(r"([A-Za-z0-9_.-]+)>=([^,;\s]+)", d).groups() for d in project["dependencies"])
    assert floors, "no dependencies in pyproject.toml"
    for name, floor in floors.items():
        assert direct.get(name.lower()) == floor, f"{name}: floor {floor}, tested {direct.get(name.lower())}"


def test_every_direct_dependency_is_locked():
    lock = (ROOT / "requirements.lock").read_text()
    for line in (ROOT / "requirements.in").read_text().splitlines():
        if line and not line.startswith("#"):
            assert re.search(rf"^{re.escape(line.strip())}\b", lock, re.M), line


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme


def test_the_test_session_cannot_reach_the_network():
    # pytest-socket blocks the connect; under -W error its warning is what surfaces first
    with pytest.raises((SocketConnectBlockedError, UserWarning)) as caught:
        socket.create_connection(("93.184.215.14", 80), timeout=1)
    assert "93.184.215.14" in str(caught.value)


def test_data_dictionary_in_docs_is_current():
    from kb.base import data_dictionary
    from kb.package import default_data_dir, read_descriptor

    expected = data_dictionary(read_descriptor(default_data_dir()))
    assert (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == expected, \
        "docs/data-dictionary.md is stale: run `make dictionary`"
