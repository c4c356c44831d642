"""Re-execute the course's notebooks top to bottom and save them with their outputs (``make notebooks``).

    python tools/execute_notebooks.py                 # every notebooks/*.ipynb
    python tools/execute_notebooks.py notebooks/04_deadlines.ipynb

Each notebook runs in a fresh kernel started from this interpreter (so from the project's .venv),
with notebooks/ as the working directory. The outputs and the widgets' state (``metadata.widgets``)
are saved in the notebook, so it still shows its explorers when opened without a kernel, and the
strict nbval run of ``make test`` compares against exactly these outputs. An error stops the run.
Widget model ids, random in the kernel, are renumbered in a fixed order, so a re-run that changes no
output changes no byte of the file.

Jupyter and IPython keep their runtime files in a temporary folder, not in the user's home.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "python3"


def kernelspec(folder: Path) -> None:
    """A kernelspec named ``python3`` that starts ipykernel with this very interpreter."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "metadata": {"debugger": False},
    }), encoding="utf-8")


def quiet_environment(folder: Path) -> None:
    """Keep Jupyter's and IPython's state out of $HOME, and make the kernel find our kernelspec."""
    os.environ["JUPYTER_PATH"] = str(folder)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(folder / "runtime")
    os.environ["JUPYTER_PLATFORM_DIRS"] = "1"
    os.environ["IPYTHONDIR"] = str(folder / "ipython")
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    home_config = Path(os.environ.get("MPLCONFIGDIR", Path.home() / ".config" / "matplotlib"))
    if not os.access(home_config if home_config.exists() else home_config.parent, os.W_OK):
        os.environ["MPLCONFIGDIR"] = str(Path(tempfile.gettempdir()) / "kb-matplotlib")


def check_order(nb, path: Path) -> None:
    """Every code cell ran, once, in order, with no error."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    counts = [c.get("execution_count") for c in code]
    if counts != list(range(1, len(code) + 1)):
        raise SystemExit(f"{path.name}: execution counts are {counts}, not 1..{len(code)}")
    for cell in code:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise SystemExit(f"{path.name}: error in cell {cell.get('id')}: {output.get('ename')}")


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def stable_widget_ids(nb, name: str):
    """``nb`` with its widget model ids (random uuids) replaced by ids that depend only on ``name`` and the
    order in which the outputs show the widgets, children after their parent."""
    import nbformat

    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    order: list[str] = []

    def visit(model_id: str) -> None:
        if model_id in state and model_id not in order:
            order.append(model_id)
            for child in re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state[model_id], sort_keys=True)):
                visit(child)

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view:
                visit(view["model_id"])
    def content(model_id: str) -> str:  # without the (random) ids of the models it refers to
        return re.sub(r"IPY_MODEL_[0-9a-f]{32}", "IPY_MODEL_", json.dumps(state[model_id], sort_keys=True))

    for model_id in sorted(state, key=content):  # any model no output shows
        visit(model_id)
    new = {old: hashlib.sha256(f"{name}:{n}".encode()).hexdigest()[:32] for n, old in enumerate(order)}
    text = re.sub(r"[0-9a-f]{32}", lambda m: new.get(m.group(), m.group()), json.dumps(nb))  # in one pass
    return nbformat.from_dict(json.loads(text))


def execute(path: Path, timeout: int) -> float:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3 (ipykernel)", "language": "python"}
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL, allow_errors=False,
                            record_timing=False, store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    check_order(nb, path)
    nb.metadata.get("language_info", {}).pop("version", None)  # the same file on every patch release
    nb = stable_widget_ids(nb, path.stem)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="kb-jupyter-") as tmp:
        folder = Path(tmp)
        kernelspec(folder)
        quiet_environment(folder)
        for path in paths:
            elapsed = execute(path, args.timeout)
            print(f"executed {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} in {elapsed:.1f}s",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
