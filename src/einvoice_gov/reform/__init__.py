"""The French e-invoicing reform as data: dates, thresholds, penalties (see :mod:`.facts`)."""
