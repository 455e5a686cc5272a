"""The protocol layer every JSON endpoint goes through (CONTRACT §1–§5).

envelope and signing (``signing``), error codes and their mapping (``codes``, ``errors``),
body decoding (``parsers``), the base view (``views``), pagination, rate limits, the
bearer-session middleware and a signed client for integrators and tests (``client``).
This package imports no app of the project.
"""
