"""``python -m fairhire``: the same as the ``fairhire`` command (and ``python -m fairhire.cli``)."""

from .cli import main

raise SystemExit(main())
