"""Retention and exits: exit rates by group (:func:`fairhire.retention`), time to exit with
competing causes (:func:`fairhire.time_to_exit`) and reductions in force with the OWBPA
disclosure (:func:`fairhire.reduction_in_force`).

The package is called ``exits`` rather than ``retention`` so that it never shadows the public
function ``fairhire.retention``: Python binds a subpackage as an attribute of its parent once
it is imported, which would replace the function with the package.
"""
