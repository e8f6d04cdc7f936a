"""The catalog domain: rows, diff, guard, apply, versions and the canonical files."""
