"""Parsing only the top-level statements that matter.

``ast.parse`` of the whole file is most of the cost of every front end, and what a rule or a fix
needs is usually two or three statements of hundreds. ``statements`` finds where the module-level
statements start without parsing; the three users each parse a subset of them:

- ``scan``: a workspace scan parses the statements that can produce a fact (imports, ``__all__``,
  statements naming a needle or a name bound to one);
- ``incremental``: the language server re-parses only the statements an edit touched;
- ``fix_tree``: a quick fix parses the statements naming the words it rewrites, plus the imports.

Each assembled ``ast.Module`` keeps the real line numbers and columns, and every user falls back to
parsing the whole file when a statement does not parse on its own.
"""
