pytest_plugins = ["workout_testkit.pytest_plugin"]
