"""``qecsim.decoders`` is :mod:`qecsim.decoding.registry` under its first-round name.

The module object is the same (``qecsim.decoders is qecsim.decoding.registry``), so
registering a decoder or changing a setting through either name affects both.
"""

import sys

from qecsim.decoding import registry as _registry

sys.modules[__name__] = _registry
