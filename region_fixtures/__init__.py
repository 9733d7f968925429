"""The shipped regions (fixtures/<code>/) loaded through each app's own services: outlines,
districts, reference data, survey files, field-test analyses and monitored systems."""
