"""Model files: ``minml.save(obj, path)`` and ``minml.load(path)``, safe to open from anyone.

What can be saved: Tensors, NumPy / CuPy arrays, ``None``, bools, ints, floats,
strings, and dicts / lists / tuples nesting them; that covers what
``module.state_dict()`` and ``optimizer.state_dict()`` return. An object with a
``state_dict()`` method (a Module, an optimizer) is saved as its state dict, so::

    minml.save(model, "model.npz")
    model.load_state_dict(minml.load("model.npz"))

:func:`load` gives back the same nesting (dict keys keep their type, tuples stay
tuples) with every array as a Tensor of the same dtype; NumPy scalars come back
as Python numbers.

The file is a NumPy ``.npz`` (a zip archive): one ``.npy`` member per array, plus
one JSON member, ``minml.json``, describing the structure and pointing at the
arrays by name. Pickle is never used in either direction (``np.load`` runs with
``allow_pickle=False``), so loading a file, even one from a stranger, cannot run
code, as unpickling can. A save writes a temporary file next to ``path`` and renames
it over ``path`` only when complete, so an interrupted save leaves the previous
file intact. Unreadable files raise :class:`FileFormatError` saying what is wrong.
"""

from __future__ import annotations

import json
import os
import uuid
import zipfile
import zlib
from pathlib import Path

import numpy as np

from minml import backend
from minml.autograd.tensor import Tensor, tensor

__all__ = ["save", "load", "FileFormatError", "FORMAT_VERSION"]

FORMAT_VERSION = 1
_STRUCTURE = "minml.json"
_ZIP_MAGIC = b"PK\x03\x04"
_SCALARS = (type(None), bool, int, float, str)


class FileFormatError(ValueError):
    """A file that minml.load cannot read: not a minml file, truncated or corrupted."""


# --------------------------------------------------------------------------- save


def _encode(obj, arrays: dict, where: str):
    """The JSON-able description of ``obj``; its arrays go into ``arrays`` (name -> host array).

    Dicts become ``{"type": "dict", "items": [[key, value], ...]}`` (so keys may be
    ints, as in optimizer state dicts), tuples ``{"type": "tuple", "items": [...]}``,
    arrays ``{"type": "tensor", "array": name}``; lists and scalars stay as they are.
    """
    if isinstance(obj, _SCALARS):
        return obj
    if isinstance(obj, np.generic) and obj.dtype.kind in "biuf":
        return obj.item()
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if not isinstance(key, _SCALARS):
                raise TypeError(
                    f"minml.save: the dict at {where} has a key of type {type(key).__name__}, {key!r}; "
                    "keys must be strings, numbers, bools or None"
                )
            items.append([key, _encode(value, arrays, f"{where}[{key!r}]")])
        return {"type": "dict", "items": items}
    if isinstance(obj, (list, tuple)):
        items = [_encode(value, arrays, f"{where}[{i}]") for i, value in enumerate(obj)]
        return items if isinstance(obj, list) else {"type": "tuple", "items": items}
    if callable(getattr(obj, "state_dict", None)):
        return _encode(obj.state_dict(), arrays, f"{where}.state_dict()")
    return {"type": "tensor", "array": _add_array(obj, arrays, where)}


def _add_array(obj, arrays: dict, where: str) -> str:
    """Store the host copy of a Tensor or NumPy / CuPy array in ``arrays``; return its member name."""
    data = obj.data if isinstance(obj, Tensor) else obj
    try:
        host = backend.asnumpy(data)
    except TypeError:
        raise TypeError(
            f"minml.save cannot save {where}, an object of type {type(obj).__name__}: it saves Tensors, "
            "arrays, numbers, strings, None, and dicts / lists / tuples of them (save model.state_dict(), "
            "not the model's code)"
        ) from None
    if host.dtype.kind not in "biufc":
        raise TypeError(
            f"minml.save cannot save {where}, an array of dtype {host.dtype}: it saves arrays of numbers "
            "and bools (object arrays would need pickle)"
        )
    name = f"array_{len(arrays)}"
    arrays[name] = host
    return name


def _write(file, header: dict, arrays: dict) -> None:
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        archive.writestr(_STRUCTURE, json.dumps(header))
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


def save(obj, path) -> None:
    """Save ``obj`` (a state dict, or nested dicts / lists / tuples of Tensors, arrays and scalars) to ``path``.

    Tensors are saved from any device with their dtype; the file is replaced
    atomically (a complete new file, or the old one untouched).
    """
    arrays = {}
    header = {"format": "minml", "version": FORMAT_VERSION, "object": _encode(obj, arrays, "obj")}
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            _write(file, header, arrays)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- load


def _not_minml(path, magic: bytes) -> FileFormatError:
    """The error for a file that is not a zip archive, naming what it looks like."""
    if not magic:
        what = "it is empty"
    elif magic.startswith(b"\x80"):
        what = "it looks like a pickle (pickle.dump, or torch.save's legacy format), and minml never unpickles"
    elif magic.startswith(b"\x93NUM"):
        what = "it is a single NumPy .npy array"
    else:
        what = f"it does not start like a zip archive (first bytes {magic!r})"
    return FileFormatError(f"{path} is not a minml model file: {what}. minml.load reads files written by minml.save.")


def _open(path):
    """The file as an ``np.load`` archive, refusing pickles and anything that is not a minml file."""
    with open(path, "rb") as file:
        magic = file.read(len(_ZIP_MAGIC))
    if magic != _ZIP_MAGIC:
        raise _not_minml(path, magic)
    try:
        archive = np.load(path, allow_pickle=False)
    except _READ_ERRORS as error:
        raise _corrupt(path, error) from None
    if _STRUCTURE not in archive.files:
        members = ", ".join(archive.files[:5]) + (", ..." if len(archive.files) > 5 else "")
        archive.close()
        raise FileFormatError(
            f"{path} is a zip archive but not a minml model file: it has no {_STRUCTURE} member "
            f"(its members: {members}). minml.load reads files written by minml.save, not np.savez or torch.save."
        )
    return archive


def _corrupt(path, error) -> FileFormatError:
    return FileFormatError(
        f"{path} is truncated or corrupted ({type(error).__name__}: {error}); save it again from the source."
    )


# What reading a damaged archive can raise: zip and .npy format errors, a short read, bad JSON
# (a ValueError), a structure pointing at a missing member (KeyError) or of the wrong shape.
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError, TypeError, AttributeError)


def _decode(node, archive, device):
    """The inverse of :func:`_encode`, with arrays read from ``archive`` as Tensors on ``device``."""
    if isinstance(node, list):
        return [_decode(item, archive, device) for item in node]
    if not isinstance(node, dict):
        return node
    if node["type"] == "dict":
        return {key: _decode(value, archive, device) for key, value in node["items"]}
    if node["type"] == "tuple":
        return tuple(_decode(item, archive, device) for item in node["items"])
    if node["type"] == "tensor":
        array = archive[node["array"]]
        if not isinstance(array, np.ndarray):
            raise ValueError(f"member {node['array']!r} is not a .npy array")
        return tensor(array, device=device)
    raise ValueError(f"unknown node type {node['type']!r}")


def load(path, map_location=None):
    """Read what :func:`save` wrote: the same nesting, with every array as a Tensor.

    Tensors keep their dtype and go to ``map_location`` (a device such as
    ``"cuda"``; default ``"cpu"``). Raises :class:`FileFormatError` for files that
    are not minml files or are damaged, and ``FileNotFoundError`` for missing ones.
    """
    device = backend.device(map_location or "cpu")
    with _open(path) as archive:
        try:
            header = json.loads(archive[_STRUCTURE])
            version = header.get("version") if header.get("format") == "minml" else None
        except _READ_ERRORS as error:
            raise _corrupt(path, error) from None
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise FileFormatError(
                f"{path} has minml format version {version!r}, and this minml reads versions up to "
                f"{FORMAT_VERSION}; a file from a newer minml needs a newer minml (pip install -U minml)."
            )
        try:
            return _decode(header["object"], archive, device)
        except _READ_ERRORS as error:
            raise _corrupt(path, error) from None
