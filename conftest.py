pytest_plugins = ["workout_common.testing.pytest_plugin"]
