"""kb.load() with no path works from a wheel installed in a venv outside the repository."""
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")


@pytest.mark.skipif(UV is None, reason="needs uv, which the make route installs")
def test_installed_wheel_ships_and_loads_the_data(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([UV, "build", "--wheel", "--no-build-isolation", "--quiet", "--python", sys.executable,
                    "--out-dir", str(dist), str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = dist.glob("kb-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([UV, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([UV, "pip", "install", "--quiet", "--offline", "--no-deps", "--python", str(python), str(wheel)],
                   check=True, capture_output=True, timeout=120)
    # pandas and friends come from the test environment; its .pth files (the editable kb) are not read
    (next((venv / "lib").glob("python3*/site-packages")) / "deps.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n")
    assert "kb/datapackage.schema.json" in zipfile.ZipFile(wheel).namelist()
    script = ("import kb, pathlib; d = kb.load(); "
              "print(pathlib.Path(kb.__file__).parent); print(d.data_dir); print(len(d.events))")
    done = subprocess.run([str(python), "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    package, data_dir, events = done.stdout.split("\n")[:3]
    assert Path(package).is_relative_to(venv) and Path(data_dir).is_relative_to(venv)
    assert Path(data_dir) == Path(package) / "data"
    assert int(events) > 0
