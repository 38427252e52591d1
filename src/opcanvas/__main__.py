import sys

from opcanvas.cli import main

sys.exit(main())
