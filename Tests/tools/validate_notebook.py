#!/usr/bin/env python3
"""Validate Jupyter notebooks against the nbformat v4 JSON schema.

    python3 Tests/tools/validate_notebook.py [--normalised] FILE.ipynb [FILE.ipynb ...]

Exits 0 when every file is a valid nbformat 4 notebook, 1 when one is not (the error on
stderr), 2 on bad use, a missing nbformat package or a file that cannot be read as JSON.
With --normalised it also checks that each file is byte for byte what nbformat itself
writes, so opening and saving it in Jupyter changes nothing.
Needs the nbformat package (pip install nbformat).
"""
import copy
import json
import re
import sys
import warnings

CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def check(path, normalised, nbformat, ValidationError):
    """0 valid, 1 invalid, 2 unreadable."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        nb = json.loads(text)  # the file as written: no conversion, no repair of ids
    except (OSError, ValueError) as error:
        print(f"{path}: cannot read: {error}", file=sys.stderr)
        return 2
    try:
        if not isinstance(nb, dict):
            raise ValidationError("the file is not a JSON object")
        if nb.get("nbformat") != 4:
            raise ValidationError(f"nbformat is {nb.get('nbformat')!r}, expected 4")
        minor = nb.get("nbformat_minor")
        if not isinstance(minor, int) or isinstance(minor, bool):
            raise ValidationError(f"nbformat_minor is {minor!r}, expected an integer")
        if minor >= 5:
            # nbformat only warns about these, and repairs them in place; here they are errors.
            seen = set()
            for i, cell in enumerate(nb.get("cells", [])):
                cell_id = cell.get("id") if isinstance(cell, dict) else None
                if not isinstance(cell_id, str) or not CELL_ID.match(cell_id):
                    raise ValidationError(f"cell {i}: missing or malformed id {cell_id!r}")
                if cell_id in seen:
                    raise ValidationError(f"cell {i}: duplicate id {cell_id!r}")
                seen.add(cell_id)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            nbformat.validate(copy.deepcopy(nb), version=4, version_minor=minor)
        for w in caught:
            if "nbformat" in (w.filename or "") or "nbformat" in type(w.message).__module__:
                raise ValidationError(f"nbformat warned: {w.message}")
    except ValidationError as error:
        print(f"{path}: invalid notebook: {error}", file=sys.stderr)
        return 1
    if normalised:
        node = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
        written = nbformat.writes(node, version=nbformat.NO_CONVERT)
        if not written.endswith("\n"):
            written += "\n"  # nbformat.write adds it
        if written != text:
            print(f"{path}: valid, but not laid out as nbformat writes it", file=sys.stderr)
            return 1
    print(f"{path}: valid nbformat 4.{minor}, {len(nb.get('cells', []))} cells")
    return 0


def main(argv):
    paths = [a for a in argv[1:] if not a.startswith("--")]
    flags = {a for a in argv[1:] if a.startswith("--")}
    if not paths or flags - {"--normalised"}:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        import nbformat
        from nbformat import ValidationError
    except ImportError:
        print("validate_notebook: the nbformat package is missing (pip install nbformat)", file=sys.stderr)
        return 2
    return max(check(p, "--normalised" in flags, nbformat, ValidationError) for p in paths)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
