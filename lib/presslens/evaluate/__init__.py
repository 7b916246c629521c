"""Scoring the analyses against human annotation.

`python -m presslens.evaluate all` (or `make eval`) runs every scorer whose gold data is
present (../shared/datasets and the seed gold) and prints one table per analysis. Each
scorer lives in its own module and exposes `run(datasets_dir) -> dict` of figures.
"""
