"""domainkit: adapt small distilled language models to clinical and legal text.

The core never imports the built-in packs: they are found through the
``domainkit.packs`` entry-point group exactly like a third-party pack.
"""

import os as _os

# onnxruntime ships Microsoft's telemetry switched on: on import it writes a device id under
# ~/.cache/Microsoft and queues events that it uploads over HTTPS from native code, where the
# offline guard (Python sockets) cannot see it. It reads this switch once, when it is imported,
# so the switch is set here, on the import path of every command, library use and child process
# (children inherit it through the environment), before anything can import onnxruntime.
_os.environ["ORT_DISABLE_TELEMETRY"] = "1"

from domainkit.network import CHILD_SWITCH as _CHILD_SWITCH, guard_process as _guard_process  # noqa: E402

if _os.environ.get(_CHILD_SWITCH) == "1":
    # A child of a guarded domainkit process (a measurement child, a spawn-mode worker): the
    # parent's patched sockets do not cross the process boundary, so the child guards itself.
    _guard_process()

__version__ = "0.1.0"

#: Version of the pack contract (see ``domainkit.packs.contract``). A pack
#: declaring another ``api_version`` is listed as broken, not loaded.
API_VERSION = 1

__all__ = ["API_VERSION", "__version__"]
