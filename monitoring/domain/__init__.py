"""Pure monitoring computations (numpy in, numpy out): ETV period bookkeeping, backwash, freeze."""
