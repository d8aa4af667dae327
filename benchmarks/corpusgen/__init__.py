"""A generated monorepo with the measured properties of the first users' real one.

The real tree (25,058 ``.py`` files, 10.2 M lines, half-way through the engine consolidation of
``/work/shared/seed``) is described in issue 10 §1 and the rules/fixes issues (13-15): most files are
tests, more than half are backup copies of live code, "SSOT" appears in the comments of most files,
and the migration left shapes behind (ImportError fallbacks, renamed imports with unrenamed calls,
test doubles, delegating emitters, patch targets of legacy modules ...) that a tool must get right.

Modules, one concept each:

* ``names``      the migration's modules and classes, and the project's vocabulary;
* ``sites``      a labelled line (ground truth) and the buffer a file is written into;
* ``code``       ordinary code of that project: routes, pydantic models, services, agents, tests;
* ``shapes``     the real-code shapes of the migration, each with its expected findings;
* ``migration``  the fixed modules (canonical engine, factory, legacy modules, shims, emitters);
* ``layout``     which files exist: live tree, backup snapshots, file sizes;
* ``build``      puts it together and writes the corpus, ``ground_truth.json`` and ``ruff.toml``;
* ``stats``      measures a corpus on disk against the real figures (``--stats``).

Stdlib only; deterministic for a seed (and Python version).
"""

from .build import generate

__all__ = ["generate"]
