"""TiTiler serving any local COG: the baseline of bench/tile_bench.py (its own venv only)."""

from fastapi import FastAPI
from titiler.core.factory import TilerFactory

app = FastAPI(title="TiTiler baseline")
app.include_router(TilerFactory().router, prefix="/cog")
