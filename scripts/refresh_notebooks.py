"""Re-execute the committed notebooks in place on the bundled sample corpus, so that their
stored outputs (what GitHub shows, what nbval compares) are current.

    .venv/bin/python scripts/refresh_notebooks.py [notebooks/NN_name.ipynb ...]

Runs with nbclient and default parameters only: no papermill `injected-parameters` cell is
added, and the notebooks stay the clean source. Run after changing an analysis.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def refresh(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:  # execution metadata carries timestamps: keep diffs to real changes
        cell.get("metadata", {}).pop("execution", None)
    tmp = path.with_suffix(".ipynb.tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, path)
    print(f"refreshed {path.relative_to(ROOT)}")


def main(argv: list[str]) -> int:
    os.environ.setdefault("PRESSLENS_HEADLESS", "1")
    paths = [Path(p).resolve() for p in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        refresh(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
