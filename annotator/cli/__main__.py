"""``python -m annotator.cli``: the same as the ``annotator`` command."""

import sys

from annotator.cli import main

sys.exit(main())
