"""Plumbing the apps share: paging, the upkeep command base, id chunking, where a
request came from. It depends on Django and DRF only, never on one of our apps
(an import-linter contract in `make test` keeps it so)."""
