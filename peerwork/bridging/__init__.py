"""Bridging-based support: a Community-Notes-style factorization of every rating and support
in a space, bridged ranking, bridged milestones and coordinated-support detection.

`factorize(ratings, seed=...)` is the one generic entry point any kind can call;
`kinds.register_rated_kind` plugs a new kind (opinion-map statements) into the space's fit.
"""

from .factorize import Result, factorize

__all__ = ["Result", "factorize"]
