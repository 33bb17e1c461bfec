"""The click benchmark of issue 18: the advisor's scan click against the job's floor."""
