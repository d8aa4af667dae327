"""Business services that start agent runs and deliver their results."""
