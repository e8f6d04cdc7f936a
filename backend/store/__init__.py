"""The database: connection, tables and migrations. No Flask, no HTTP."""

from backend.store.facade_tables import FACADE_TABLES
from backend.store.job_tables import JOB_TABLES
from backend.store.operator_tables import OPERATOR_TABLES
from backend.store.review_tables import REVIEW_TABLES
from backend.store.tables import CATALOG_TABLES

# In dependency order: a table comes after every table it references.
ALL_TABLES = [*CATALOG_TABLES, *OPERATOR_TABLES, *FACADE_TABLES, *JOB_TABLES, *REVIEW_TABLES]
