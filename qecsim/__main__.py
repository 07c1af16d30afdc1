"""``python -m qecsim`` runs the command line."""

import sys

from qecsim.cli import main

if __name__ == "__main__":
    sys.exit(main())
