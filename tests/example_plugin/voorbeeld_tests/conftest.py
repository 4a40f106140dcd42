"""The example plugin's tests use the portal's testing kit, as any plugin's would.

At the root of a plugin's own repository ``pytest_plugins = ["portal.testing"]`` brings
the kit's fixtures in; inside the portal's test suite this folder is not the root, so
the fixtures are imported by name.
"""

import pytest

from portal.testing import app  # noqa: F401
from portal.testing import base_config
from portal.testing import client  # noqa: F401


@pytest.fixture
def portal_config(tmp_path):
    # Only this plugin: the access walk and the figures see nothing else.
    return {**base_config(tmp_path), "PORTAL_PLUGINS": ("voorbeeld",)}
