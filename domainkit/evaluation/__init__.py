"""Evaluation suite: inference, metrics (local `evaluate` modules), calibration,
speed and size, baselines, int8 quantisation, and the run report."""
