"""The hub's HTTP API, one router per topic; :mod:`..app` includes them all.

- :mod:`.account`  ``/api/status``, ``/api/whoami-v2``
- :mod:`.repos`    create, delete, move, settings, search and list, info, squash, LFS files
- :mod:`.files`    tree, paths-info, downloads (``/resolve/``)
- :mod:`.uploads`  preupload, LFS batch and upload, commits
- :mod:`.refs`     history, branches and tags
- :mod:`.discussions`  discussions and pull requests (logic in :mod:`..community`)
- :mod:`.cards`    ``/api/validate-yaml``

The web pages are :mod:`..web`, a router too.
"""
