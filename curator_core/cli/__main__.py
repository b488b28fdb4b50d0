"""``python -m curator_core.cli``: the same as the ``curator`` console script."""

import sys

from curator_core.cli.main import main

sys.exit(main())
