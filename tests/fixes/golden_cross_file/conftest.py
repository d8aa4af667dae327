"""The cases are workspaces to fix, not tests: nothing here is collected."""

collect_ignore_glob = ["*"]
