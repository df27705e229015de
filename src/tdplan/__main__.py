"""``python -m tdplan``: the command line."""

import sys

from tdplan.cli import main

sys.exit(main())
