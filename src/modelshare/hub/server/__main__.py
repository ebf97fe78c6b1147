"""``python -m modelshare.hub.server --data DIR --port N``: run the workshop hub."""

import sys

from modelshare.hub.server.serve import main

sys.exit(main())
