"""Spaces' views, thin: they find what the access policy allows and call services."""
