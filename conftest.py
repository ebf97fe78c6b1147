"""Root pytest configuration: register the workshop-hub plugin for every run.

When pytest runs notebooks (--nbval / --nbval-lax), tests/hubplugin.py starts
one fresh local hub and exports its HF_ENDPOINT/HF_TOKEN/HF_HUB_DISABLE_XET
before any kernel starts. ``tests/`` goes on sys.path by hand because a
package in site-packages already owns the import name ``tests``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "tests"))
pytest_plugins = ["hubplugin"]
