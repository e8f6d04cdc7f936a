"""Catalog review bookkeeping: version snapshots, stored previews, and remote feed fetches.

``catalog_snapshots`` keeps each applied version's canonical catalog bytes (zlib-compressed), so
a revert or a published feed reproduces that version exactly. ``catalog_previews`` remembers
what an admin reviewed (candidate and base version) so an apply can refuse a moved base.
``remote_feed_fetches`` records every download of the signed feed: accepted or why not.
"""

from __future__ import annotations

from peewee import AutoField, BlobField, CharField, DateTimeField, IntegerField, TextField

from backend.store.fields import JSONTextField
from backend.store.tables import BaseTable, utcnow


class CatalogSnapshot(BaseTable):
    """The canonical bytes of one applied catalog version, compressed."""

    id = AutoField()
    version = CharField(max_length=32, unique=True)
    sha256 = CharField(max_length=64)
    data = BlobField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "catalog_snapshots"


class CatalogPreview(BaseTable):
    """A diff shown to an admin: which candidate, against which base version."""

    id = CharField(max_length=36, primary_key=True)
    source = CharField(max_length=16)  # bundled | remote | revert
    candidate_version = CharField(max_length=32)
    candidate_sha256 = CharField(max_length=64)
    base_version = CharField(max_length=32, null=True)
    revert_to = CharField(max_length=32, null=True)
    counts = JSONTextField(default=dict)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "catalog_previews"


class RemoteFeedFetch(BaseTable):
    """One download of the signed remote feed and its verdict."""

    id = AutoField()
    url = TextField()
    trigger = CharField(max_length=32)
    status = CharField(max_length=16)  # accepted | unchanged | rejected
    reason = CharField(max_length=32, null=True)  # why a feed was rejected
    message = TextField(default="")
    version = CharField(max_length=32, null=True, index=True)
    sha256 = CharField(max_length=64, null=True)
    key_id = CharField(max_length=32, null=True)
    expires_at = DateTimeField(null=True)
    size = IntegerField(null=True)
    # The verified feed bytes (zlib), kept only for accepted fetches: the pending candidate.
    payload = BlobField(null=True)
    fetched_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "remote_feed_fetches"


REVIEW_TABLES = [CatalogSnapshot, CatalogPreview, RemoteFeedFetch]
