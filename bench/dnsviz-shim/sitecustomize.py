# Debian 12: dnsviz 0.9.4's `grok -t` imports pygraphviz.release, gone from pygraphviz 1.7. On
# PYTHONPATH for grok only (bench/audit/run.sh, bench/fleet/fleet.py --peers), this provides it;
# no system file changes.
import sys
import types

try:
    import pygraphviz
except ImportError:
    pygraphviz = None
if pygraphviz is not None and not hasattr(pygraphviz, "release"):
    _m = types.ModuleType("pygraphviz.release")
    _m.version = pygraphviz.__version__
    sys.modules["pygraphviz.release"] = _m
    pygraphviz.release = _m
