"""Validation: the findings model, the chains, the engines and the rule registry."""
