"""Discussions: threaded Markdown comments that attach to any object (pages, ideas, tasks, ...)."""
