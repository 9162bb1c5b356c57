"""``python -m minml``: the same as the ``minml`` command."""

from minml.cli import main

raise SystemExit(main())
