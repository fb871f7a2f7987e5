"""A MediaWiki-compatible Action API (`/s/<slug>/w/api.php`) over peerwork's wiki.

Each space is one wiki. Every module reads through the wiki selectors and writes through the
wiki actions, so the permission policy decides exactly as it does for the web pages and the
REST API. See docs/mediawiki-api.md.
"""
