"""Pure geology computations (depth-weighted conductivity, ...). No Django."""
