"""Commands beside the suite: the benchmark, the soak, pytest inside pytest for the harness's own tests."""
