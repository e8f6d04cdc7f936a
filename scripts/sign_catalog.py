#!/usr/bin/env python3
"""Sign a catalog file as a feed other instances can consume, or generate a signing keypair.

    scripts/sign_catalog.py keygen --private-key-file var/catalog_signing_key
    scripts/sign_catalog.py sign data/models.json --key-file var/catalog_signing_key \
        --out dist/models.feed.json [--expires-in-days 90]

``keygen`` writes the base64 private key to a new file (mode 0600) and prints only the public
key (for CATALOG_SYNC_PUBKEY). ``sign`` writes the feed and its detached signature next to it
(``<out>.sig``); serve both so that the signature is at the feed's URL plus ``.sig``.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.catalog.files import atomic_write
from backend.crypto.signing import SigningKey, generate_keypair
from backend.errors import CatalogError
from backend.services.remote_feed import SIGNATURE_SUFFIX, sign_catalog
from backend.store.tables import utcnow


def keygen(args: argparse.Namespace) -> int:
    private, public = generate_keypair()
    fd = os.open(args.private_key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(private + "\n")
    print(f"private key written to {args.private_key_file} (mode 0600)", file=sys.stderr)
    print(f"CATALOG_SYNC_PUBKEY={public}")
    return 0


def sign(args: argparse.Namespace) -> int:
    key = SigningKey.from_base64(Path(args.key_file).read_text().strip(), "--key-file")
    expires_at = utcnow() + timedelta(days=args.expires_in_days)
    feed = sign_catalog(Path(args.catalog).read_bytes(), key, expires_at)
    out = Path(args.out)
    atomic_write(out, feed.body)
    atomic_write(out.with_name(out.name + SIGNATURE_SUFFIX), feed.signature)
    print(f"signed catalog {feed.version} with key {key.key_id}, expires {expires_at.isoformat()}Z:"
          f" {out} and {out.name}{SIGNATURE_SUFFIX}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("keygen", help="generate an Ed25519 signing keypair")
    gen.add_argument("--private-key-file", required=True)
    gen.set_defaults(run=keygen)
    signer = commands.add_parser("sign", help="sign a catalog file as a feed")
    signer.add_argument("catalog")
    signer.add_argument("--key-file", required=True, help="file holding the base64 private key")
    signer.add_argument("--out", required=True)
    signer.add_argument("--expires-in-days", type=int, default=90)
    signer.set_defaults(run=sign)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (CatalogError, OSError) as error:
        print(f"sign_catalog: {getattr(error, 'message', error)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
