"""`domainkit plugins new NAME --dir DIR`: write an installable pack.

The scaffold is a complete, working pack: its own pyproject with the entry
point, a tiny corpus, one task, a README and tests that reuse the core's
contract suite (``domainkit.testing``). Templates live in
``domainkit/packs/template`` with ``{{name}}``-style placeholders; plain
string replacement (not a template engine) keeps this dependency-free.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from domainkit.errors import DomainkitError

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")

#: template file -> path in the new pack ({module} is the import package).
FILES = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "init.py.tmpl": "{module}/__init__.py",
    "pack.py.tmpl": "{module}/pack.py",
    "corpus.csv.tmpl": "{module}/data/corpus.csv",
    "test_pack.py.tmpl": "tests/test_pack.py",
}


def placeholders(name: str) -> dict[str, str]:
    module = "domainkit_" + name.replace("-", "_")
    class_name = "".join(part.capitalize() for part in re.split(r"[-_]", name)) + "Pack"
    return {"name": name, "module": module, "class_name": class_name, "distribution": f"domainkit-{name}"}


def _refuse_installed_name(name: str) -> None:
    """A pack named like an installed one would share its distribution name, and installing it would replace it."""
    from domainkit.packs.registry import discover

    installed = sorted(entry.name for entry in discover())
    if name in installed:
        raise DomainkitError(f"a pack named {name!r} is installed already",
                             hint=f"choose another name; installed packs: {', '.join(installed)}")


def scaffold_pack(name: str, directory: Path) -> Path:
    """Create the pack in ``directory`` (new or empty); returns its path."""
    if not NAME_PATTERN.match(name):
        raise DomainkitError(
            f"invalid pack name {name!r}",
            hint="use 3-40 lowercase letters, digits and '-', starting with a letter (e.g. radiology)",
        )
    _refuse_installed_name(name)
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise DomainkitError(f"{directory} exists and is not empty", hint="choose a new folder; nothing was written")
    values = placeholders(name)
    templates = resources.files("domainkit.packs").joinpath("template")
    for template, target in FILES.items():
        text = templates.joinpath(template).read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        path = directory / target.format(**values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return directory.resolve()
