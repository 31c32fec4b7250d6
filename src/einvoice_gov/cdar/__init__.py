"""French lifecycle status messages (CDAR D22B): code lists, the BR-FR-CDV rules and a
structural check of the CDAR document.

Parsing a status message into a typed object is :func:`einvoice_gov.formats.cdar.parse_status`.
"""
