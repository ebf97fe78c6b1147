"""The hub's HTTP API, one router per topic; :mod:`..app` includes them all.

- :mod:`.account`  ``/api/status``, ``/api/whoami-v2``
- :mod:`.repos`    create, delete, settings, list, info
- :mod:`.files`    tree, paths-info, downloads (``/resolve/``)
- :mod:`.uploads`  preupload, LFS batch and upload, commits
- :mod:`.refs`     history, branches and tags
- :mod:`.cards`    ``/api/validate-yaml``
"""
