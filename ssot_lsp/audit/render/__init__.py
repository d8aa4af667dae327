"""The audit report's formats: text (tables), and one self-contained HTML page with charts; JSON is the
document itself (``audit/document.py``)."""
