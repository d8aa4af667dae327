"""The rules: one module per rule, each ending with its ``RULE`` object (see ``rule.py``);
``registry.py`` lists them."""
