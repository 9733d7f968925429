"""Pure geology computations (depth-weighted conductivity, lithology names). No Django."""
