"""Envelope encryption of credentials: keyrings, sealing, row binding, and KEK rotation."""

from __future__ import annotations

import os
import stat

import pytest

from backend.app import create_app
from backend.config import Config
from backend.crypto.credentials import stored_credential
from backend.crypto.envelope import CredentialError, associated_data, open_sealed, seal
from backend.crypto.keyring import encode_key, load_keyring, parse_keyring
from backend.errors import ConfigError
from backend.store.db import db
from backend.store.tables import Provider

SECRET = "sk-live-0123456789abcdefSECRET"
OLD_KEY, NEW_KEY = os.urandom(32), os.urandom(32)
OLD_RING = f"old:{encode_key(OLD_KEY)}"
ROTATED_RING = f"old:{encode_key(OLD_KEY)},*new:{encode_key(NEW_KEY)}"


def test_the_first_key_is_primary_unless_one_is_marked():
    assert parse_keyring(OLD_RING).primary == "old"
    assert parse_keyring(ROTATED_RING).primary == "new"
    assert set(parse_keyring(ROTATED_RING).keys) == {"old", "new"}


@pytest.mark.parametrize(("text", "message"), [
    ("nokey", "each entry must be id:base64key"),
    ("a:not base64!", "not valid base64"),
    (f"a:{encode_key(b'short')}", "must be 32 bytes"),
    (f"a:{encode_key(OLD_KEY)},a:{encode_key(NEW_KEY)}", "appears twice"),
    (f"*a:{encode_key(OLD_KEY)},*b:{encode_key(NEW_KEY)}", "only one key id may be marked"),
], ids=["no-key", "bad-base64", "short-key", "duplicate-id", "two-primaries"])
def test_a_malformed_keyring_is_a_one_line_config_error(text, message):
    with pytest.raises(ConfigError, match=message) as caught:
        parse_keyring(text)
    assert "\n" not in caught.value.message
    assert encode_key(OLD_KEY) not in caught.value.message


def test_production_refuses_to_start_without_a_kek(tmp_path):
    with pytest.raises(ConfigError, match="CATALOG_KEK or CATALOG_KEK_FILE is required"):
        Config.from_env({"APP_ENV": "production", "ADMIN_API_KEY": "k" * 32,
                         "VAR_DIR": str(tmp_path)})


def test_the_kek_can_come_from_a_file(tmp_path):
    path = tmp_path / "kek"
    path.write_text(ROTATED_RING + "\n")
    config = Config.from_env({"APP_ENV": "production", "ADMIN_API_KEY": "k" * 32,
                              "CATALOG_KEK_FILE": str(path), "VAR_DIR": str(tmp_path)})
    assert load_keyring(config).primary == "new"
    assert encode_key(NEW_KEY) not in repr(config)


def test_development_generates_a_kek_into_var_with_mode_0600(make_config):
    config = make_config()
    keyring = load_keyring(config)
    path = config.var_dir / "catalog_kek"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_keyring(config).primary_key == keyring.primary_key


def test_a_sealed_secret_opens_only_with_its_own_associated_data():
    keyring = parse_keyring(OLD_RING)
    sealed = seal(SECRET, associated_data("providers", 1, "credential"), keyring)
    assert SECRET.encode() not in sealed.ciphertext
    assert open_sealed(sealed, associated_data("providers", 1, "credential"), keyring) == SECRET
    with pytest.raises(CredentialError, match="does not belong there"):
        open_sealed(sealed, associated_data("providers", 2, "credential"), keyring)


def test_every_secret_gets_a_fresh_data_key_and_nonce():
    keyring = parse_keyring(OLD_RING)
    aad = associated_data("providers", 1, "credential")
    first, second = seal(SECRET, aad, keyring), seal(SECRET, aad, keyring)
    assert first.nonce != second.nonce
    assert first.wrapped_key != second.wrapped_key
    assert first.ciphertext != second.ciphertext


def _create(client, admin_headers, name="Team OpenAI", secret=SECRET) -> int:
    response = client.post("/api/admin/providers", headers=admin_headers,
                           json={"kind": "openai", "name": name, "credential": secret})
    assert response.status_code == 201
    return response.get_json()["id"]


def test_a_credential_copied_into_another_row_fails_to_decrypt(make_config, admin_headers):
    app = create_app(make_config(catalog_kek=OLD_RING))
    client = app.test_client()
    first = _create(client, admin_headers, "First")
    second = _create(client, admin_headers, "Second", "sk-other-credential-000000")
    keyring = app.extensions["keyring"]
    with db.connection_context():
        source = Provider.get_by_id(first)
        Provider.update(
            credential_ciphertext=source.credential_ciphertext,
            credential_nonce=source.credential_nonce,
            credential_wrapped_key=source.credential_wrapped_key,
        ).where(Provider.id == second).execute()
        assert stored_credential(Provider.get_by_id(first), keyring) == SECRET
        with pytest.raises(CredentialError) as caught:
            stored_credential(Provider.get_by_id(second), keyring)
    assert SECRET not in caught.value.message


def _credential_columns() -> dict[int, tuple]:
    rows = Provider.select().where(Provider.credential_ciphertext.is_null(False))
    return {p.id: (bytes(p.credential_ciphertext), bytes(p.credential_nonce),
                   bytes(p.credential_wrapped_key), p.credential_kek_id) for p in rows}


def test_rotating_the_kek_rewraps_only_the_data_keys(make_config, admin_headers):
    before_app = create_app(make_config(catalog_kek=OLD_RING))
    ids = [_create(before_app.test_client(), admin_headers, f"Account {n}", f"{SECRET}-{n}")
           for n in range(3)]
    with db.connection_context():
        before = _credential_columns()

    rotated_app = create_app(make_config(catalog_kek=ROTATED_RING))
    result = rotated_app.test_cli_runner().invoke(args=["rotate-kek"])
    assert result.exit_code == 0, result.output
    assert "re-wrapped 3 credential data key(s) under KEK 'new'" in result.output

    with db.connection_context():
        after = _credential_columns()
        new_only = parse_keyring(f"new:{encode_key(NEW_KEY)}")
        secrets = [stored_credential(Provider.get_by_id(i), new_only) for i in ids]
    assert secrets == [f"{SECRET}-{n}" for n in range(3)]
    for provider_id in ids:
        ciphertext, nonce, wrapped, kek_id = after[provider_id]
        assert (ciphertext, nonce) == before[provider_id][:2]
        assert wrapped != before[provider_id][2]
        assert (before[provider_id][3], kek_id) == ("old", "new")


def test_rotation_again_has_nothing_left_to_rewrap(make_config, admin_headers):
    _create(create_app(make_config(catalog_kek=OLD_RING)).test_client(), admin_headers)
    runner = create_app(make_config(catalog_kek=ROTATED_RING)).test_cli_runner()
    assert "re-wrapped 1 " in runner.invoke(args=["rotate-kek"]).output
    assert "re-wrapped 0 " in runner.invoke(args=["rotate-kek"]).output


def test_rotation_without_the_old_kek_fails_with_a_clear_message(make_config, admin_headers):
    _create(create_app(make_config(catalog_kek=OLD_RING)).test_client(), admin_headers)
    runner = create_app(make_config(catalog_kek=f"new:{encode_key(NEW_KEY)}")).test_cli_runner()
    result = runner.invoke(args=["rotate-kek"])
    assert result.exit_code == 1
    assert "KEK 'old' is not in the keyring" in result.output
