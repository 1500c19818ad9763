"""AWS Glue jobs: entry scripts at this level, their importable code in sub-packages."""
