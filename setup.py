"""What goes into the wheel; everything else about the package is in pyproject.toml.

Flat layout: the minml* packages are installed; lessons/, tests/, bench/ and docs/ are
not. The course's exercises/ (stubs, graders, compare.py) ship too, inside the package as
``minml/_exercises``, so an installed minml can copy them for a learner (`minml init DIR`).
The repository keeps the one copy in exercises/. (pyproject.toml can list packages or find
them, but cannot add a package from another folder to the ones it finds.)
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["minml*"]), "minml._exercises"],
    package_dir={"minml._exercises": "exercises"},
    package_data={
        "minml._exercises": ["pytest.ini", "*/*.py"],
        "minml.datasets": ["data/*.csv.gz", "data/*.md"],  # bundled data sets with their licences
    },
)
