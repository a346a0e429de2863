"""``python -m hazard_rules`` runs the command line."""

import sys

from hazard_rules.cli import main

sys.exit(main())
