"""The code style every helper writes to: ruff and mypy, configured in pyproject.toml, pass on kb/."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("tool", [["ruff", "check", "--output-format", "concise", "kb"], ["mypy"]])
def test_the_library_passes(tool):
    pytest.importorskip(tool[0])
    done = subprocess.run([sys.executable, "-m", *tool], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_module_declares_its_public_names():
    missing = [p.name for p in sorted((ROOT / "kb").rglob("*.py"))
               if "__all__" not in p.read_text(encoding="utf-8")]
    assert not missing, f"no __all__ in: {', '.join(missing)}"
