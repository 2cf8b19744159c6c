"""The demo app is installed for development, tests and benchmarks, and never in production."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO_COMMANDS = ["generate_demo_records", "load_demo_content"]
RUNTIME_APPS = ["home", "library", "readinglists", "enquiries"]

# Run in a fresh process: imports every module of the runtime apps under the settings given,
# then reports whether `demo` is installed, whether anything imported it, and its commands.
INSPECT = f"""
import importlib, json, pkgutil, sys
import django
django.setup()
from django.apps import apps
from django.core.management import get_commands
for name in {RUNTIME_APPS!r}:
    for module in pkgutil.walk_packages(importlib.import_module(name).__path__, name + "."):
        importlib.import_module(module.name)
print(json.dumps({{
    "installed": apps.is_installed("demo"),
    "imported": "demo" in sys.modules,
    "commands": sorted(set({DEMO_COMMANDS!r}) & set(get_commands())),
}}))
"""


def inspect_production() -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "production-settings-check-" + "k" * 40,
        "ALLOWED_HOSTS": "library.example.org",
    }
    completed = subprocess.run(  # noqa: S603 - this interpreter with fixed code
        [sys.executable, "-c", INSPECT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_production_has_no_demo_commands_and_no_runtime_module_imports_demo():
    found = inspect_production()

    assert found == {"installed": False, "imported": False, "commands": []}


@pytest.mark.parametrize("settings_module", ["dev", "test", "bench"])
def test_dev_test_and_bench_install_the_demo(settings_module):
    settings = importlib.import_module(f"config.settings.{settings_module}")

    assert "demo" in settings.INSTALLED_APPS
