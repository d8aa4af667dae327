"""The migration lead's view of the findings: where they are, what still uses each legacy symbol, the trend.

Pure parts: ``sites`` (a finding as the audit counts it), ``tables`` (the tables of one tree),
``comparison`` (against a baseline, by fingerprint). ``history`` analyses the trees of past commits
read from git; ``render`` turns a report into text, JSON or one self-contained HTML page.
"""
