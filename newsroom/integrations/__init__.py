"""Integrations: API tokens, idempotent writes, the write API and outbound webhooks.

The write API calls only ``liveblog.services``, so a token holder can do exactly
what the same person can do on the desk, no more.
"""
