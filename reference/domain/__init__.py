"""Pure rules over reference data (subsidies, ...). No Django."""
