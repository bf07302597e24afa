"""The entry point of the one-folder PyInstaller bundle (`make bundle`): the same as `annotator`."""

import sys

from annotator.cli import main

if __name__ == "__main__":
    sys.exit(main())
