"""The hub this course publishes to: which one, and the workshop hub server.

- :func:`status`: which hub this kernel talks to, as which user, and how to switch.
- :func:`use`: choose a hub before ``huggingface_hub`` is imported.
- :mod:`modelshare.hub.server`: the workshop hub itself (``modelshare hub serve``).

Example (asks the hub, so it needs one running)::

    >>> import modelshare.hub
    >>> modelshare.hub.status()  # doctest: +SKIP
    Hub: the local hub at http://127.0.0.1:8765, signed in as learner.
"""

from modelshare.hub.client import HubStatus, status, use

__all__ = ["HubStatus", "status", "use"]
