"""The API modules: one function per action, taking the request context, returning the result."""
