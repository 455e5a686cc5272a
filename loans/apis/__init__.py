"""API views of loans: ``apply`` (quote and application, §22–23) and ``servicing`` (§26–29, §36)."""
