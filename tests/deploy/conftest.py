"""The deploy tests import `deploy/` from the checkout through pytest's `pythonpath = ["."]`."""
