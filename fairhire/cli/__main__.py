"""``python -m fairhire.cli``: the same as the ``fairhire`` command."""

from . import main

raise SystemExit(main())
