"""``python -m regcore``: see regcore.cli."""

import sys

from regcore.cli import main

sys.exit(main())
