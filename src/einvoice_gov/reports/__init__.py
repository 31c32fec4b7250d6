"""Reports: renderers of check results, the readiness gap analysis and its outputs."""
