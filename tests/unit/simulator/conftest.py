"""One simulation at the default config, shared by the simulator tests."""

import pytest

from streams.devtools.simulator import SimConfig, Simulation, generate


@pytest.fixture(scope="session")
def default_sim() -> Simulation:
    return generate(SimConfig())
