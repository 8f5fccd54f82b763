"""The ``advisor`` command line: a thin shell over the ``pricing`` and ``advisor`` libraries."""
