"""Webhooks: a steward subscribes a URL to a space's events; peerwork POSTs each one, signed.

models (peerwork/interop/models.py), addresses (which targets are refused), signing (the
Peerwork-Signature header), actions (subscribe, delete, re-send), selectors, delivery (the
jobs: fan-out, deliver, retry), api and views. The contract for receivers is docs/webhooks.md.
"""
