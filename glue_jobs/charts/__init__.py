"""The charts job as a pure PySpark package: no awsglue here (see glue_jobs/charts_job.py)."""
