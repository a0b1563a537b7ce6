import os

from hypothesis import HealthCheck, settings

# CI is reproducible (derandomized: the same examples every run); local runs explore new
# examples each time, which is how bugs are found.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
