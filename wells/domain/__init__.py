"""Pure analyses of borehole data (TRT fit, pumping tests, water chemistry). No Django."""
