"""Where the exercises live, and ``minml init DIR``, which copies them into a working folder.

There is one copy of the exercises in the repository: ``exercises/``, one
folder per lesson (``exercises/01_autodiff/``). The wheel ships that same
folder as ``minml/_exercises`` (pyproject.toml maps it), so an installed minml
can hand a learner their own copy with ``minml init DIR``. ``minml grade`` then
grades the exercises of the folder it is run in: a checkout's ``exercises/`` or
a folder made by ``minml init``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["PACKAGE_DIR", "source_exercises_dir", "lesson_folders", "lesson_folder", "find_exercises_dir", "init"]

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the minml package

# Never copied: caches that tools write next to the files, and the grades of whoever ran `minml grade`.
CACHES = {"__pycache__", ".minml", ".hypothesis", ".pytest_cache"}


def source_exercises_dir() -> Path:
    """The exercises minml came with: ``minml/_exercises`` when installed, else the checkout's ``exercises/``."""
    shipped = PACKAGE_DIR / "_exercises"
    return shipped if shipped.is_dir() else PACKAGE_DIR.parent / "exercises"


def lesson_folders(exercises_dir: Path) -> dict[str, Path]:
    """Lesson number -> its folder, for every ``NN_topic`` folder in ``exercises_dir``."""
    folders: dict[str, Path] = {}
    for path in sorted(exercises_dir.glob("[0-9][0-9]_*")):
        if path.is_dir():
            if path.name[:2] in folders:
                raise ValueError(f"two folders for lesson {path.name[:2]}: {folders[path.name[:2]]} and {path}")
            folders[path.name[:2]] = path
    return folders


def lesson_folder(exercises_dir: Path, lesson: str) -> Path:
    """The one folder ``<exercises_dir>/NN_*`` of lesson ``NN``."""
    folders = lesson_folders(exercises_dir)
    if lesson not in folders:
        raise FileNotFoundError(f"no folder for lesson {lesson} in {exercises_dir} (expected {lesson}_topic/)")
    return folders[lesson]


def _is_exercises_dir(path: Path) -> bool:
    return (path / "pytest.ini").is_file() and bool(lesson_folders(path))


def find_exercises_dir(start: Path | None = None) -> Path:
    """The exercises folder ``minml grade`` works on, looking from ``start`` (default: here) upwards.

    A folder qualifies when it holds a ``pytest.ini`` and ``NN_topic`` lesson
    folders: the folder made by ``minml init``, or a checkout's ``exercises/``.
    """
    start = (start or Path.cwd()).resolve()
    for folder in [start, *start.parents]:
        for candidate in (folder, folder / "exercises"):
            if _is_exercises_dir(candidate):
                return candidate
    raise FileNotFoundError(
        f"no exercises found in {start} or above it. Make your own copy with `minml init DIR`, "
        "then run `minml grade` inside DIR (or pass --dir DIR)"
    )


def init(target: Path) -> tuple[list[Path], list[Path]]:
    """Copy the exercises into ``target``; never overwrites a file that is already there.

    Returns (files copied, files kept because they exist). Running it again
    after upgrading minml adds the new lessons and keeps your work.
    """
    source = source_exercises_dir()
    if not _is_exercises_dir(source):
        raise FileNotFoundError(f"this minml has no exercises to copy (looked in {source})")
    copied, kept = [], []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_dir() or path.suffix == ".pyc" or CACHES.intersection(relative.parts):
            continue
        destination = target / relative
        if destination.exists():
            kept.append(destination)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        copied.append(destination)
    return copied, kept


def main_init(directory: str) -> int:
    """``minml init DIR``: copy the exercises, then say what to do next."""
    target = Path(directory)
    try:
        copied, kept = init(target)
    except FileNotFoundError as error:
        print(f"minml init: {error}")
        return 1
    print(f"minml init: copied {len(copied)} files into {target}" + (f", kept {len(kept)} of yours" if kept else ""))
    print(f"Next: cd {target}, open a lesson folder (such as 01_autodiff/), replace a `raise NotImplementedError`")
    print("with your code, then run `minml grade 01` (and `minml compare 01` to race minml's reference).")
    return 0
