"""Bearer tokens: issued by `innoportal token issue`, decoded only when genuine, current and sane."""

import base64
import json
import os
import stat
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import jwt
import pytest

from innoportal.auth import ROLES, InvalidToken, decode_token, issue_token

ROOT = Path(__file__).resolve().parents[3]
CLI = ROOT / ".venv" / "bin" / "innoportal"
SECRET = "unit-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"


class Cli:
    """`innoportal` runs started together (each takes a second or so to import), read when done."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.running: dict[str, tuple[subprocess.Popen, Path]] = {}

    def start(self, key: str, *args: str, cwd: str | None = None, secret: str | None = SECRET):
        env = {k: v for k, v in os.environ.items() if not k.startswith("INNOPORTAL_")}
        if secret is not None:
            env["INNOPORTAL_SECRET_KEY"] = secret
        folder = self.root / (cwd or key)
        folder.mkdir(exist_ok=True)
        proc = subprocess.Popen([str(CLI), *args], cwd=folder, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.running[key] = (proc, folder)

    def result(self, key: str) -> tuple[subprocess.CompletedProcess, Path]:
        proc, folder = self.running[key]
        stdout, stderr = proc.communicate(timeout=60)
        return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr), folder


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    runs = Cli(tmp_path_factory.mktemp("cli"))
    runs.start("emsd", "token", "issue", "--role", "emsd", "--org", "EMSD")
    runs.start("chinese", "token", "issue", "--role", "department", "--org", "機電工程署",
               "--days", "1")
    runs.start("bad-role", "token", "issue", "--role", "admin", "--org", "EMSD")
    runs.start("long-org", "token", "issue", "--role", "provider", "--org", "x" * 101)
    runs.start("no-secret-1", "token", "issue", "--role", "provider", "--org", "HKUST",
               cwd="no-secret", secret=None)
    yield runs
    for proc, _ in runs.running.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def last_line(stdout: str) -> str:
    lines = stdout.splitlines()
    assert lines, "nothing on stdout"
    return lines[-1]


def test_cli_prints_the_token_alone_on_its_last_line(cli):
    done, folder = cli.result("emsd")
    assert done.returncode == 0, done.stderr
    token = last_line(done.stdout)
    assert token == token.strip() and " " not in token and token.count(".") == 2
    principal = decode_token(SECRET, token)
    assert (principal.role, principal.org) == ("emsd", "EMSD")
    assert principal.token_id
    # The token is the script-friendly part: scripts take the last line and nothing else.
    assert done.stdout.endswith(token + "\n")
    assert not (folder / "var").exists(), "an explicit secret needs no var/secret_key"


def test_cli_token_carries_a_chinese_organisation_and_days(cli):
    done, _ = cli.result("chinese")
    assert done.returncode == 0, done.stderr
    token = last_line(done.stdout)
    assert decode_token(SECRET, token).org == "機電工程署"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], issuer="innoportal")
    assert claims["exp"] - claims["iat"] == 24 * 3600


def test_cli_refuses_a_bad_role(cli):
    done, _ = cli.result("bad-role")
    assert done.returncode != 0
    assert done.stdout.strip() == ""
    assert "role" in done.stderr


def test_cli_refuses_an_over_long_org(cli):
    done, _ = cli.result("long-org")
    assert done.returncode != 0
    assert done.stdout.strip() == ""
    assert "org" in done.stderr


def test_without_a_secret_the_cli_keeps_one_in_var_and_reuses_it(cli):
    first, folder = cli.result("no-secret-1")
    assert first.returncode == 0, first.stderr
    cli.start("no-secret-2", "token", "issue", "--role", "emsd", "--org", "EMSD",
              cwd="no-secret", secret=None)
    second, _ = cli.result("no-secret-2")
    assert second.returncode == 0, second.stderr
    key_file = folder / "var" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    secret = key_file.read_text().strip()
    assert len(secret) >= 32
    assert decode_token(secret, last_line(first.stdout)).role == "provider"
    assert decode_token(secret, last_line(second.stdout)).role == "emsd"


# --- decode_token ------------------------------------------------------------------------------


def claims(**overrides):
    now = int(time.time())
    base = {"iss": "innoportal", "sub": "EMSD", "role": "emsd", "org": "EMSD", "jti": "j1",
            "iat": now, "exp": now + 3600}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def sign(payload, secret=SECRET, algorithm="HS256"):
    return jwt.encode(payload, secret, algorithm=algorithm)


@pytest.mark.parametrize("role", ROLES)
def test_issued_tokens_decode_to_their_role_and_org(role):
    principal = decode_token(SECRET, issue_token(SECRET, role=role, org="  HKSTP  "))
    assert (principal.role, principal.org) == (role, "HKSTP")


def test_each_token_has_its_own_id():
    one = decode_token(SECRET, issue_token(SECRET, role="emsd", org="EMSD"))
    two = decode_token(SECRET, issue_token(SECRET, role="emsd", org="EMSD"))
    assert one.token_id != two.token_id


def test_a_token_signed_with_another_secret_is_forged():
    token = issue_token("another-secret-0123456789-abcdefghijklmnopqrstuvwxyz", role="emsd",
                        org="EMSD")
    with pytest.raises(InvalidToken):
        decode_token(SECRET, token)


def test_a_token_whose_claims_were_edited_is_forged():
    header, payload, signature = issue_token(SECRET, role="provider", org="HKUST").split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["role"] = "emsd"
    edited = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidToken):
        decode_token(SECRET, f"{header}.{edited}.{signature}")


def test_an_unsigned_token_is_refused():
    token = jwt.encode(claims(), None, algorithm="none")
    with pytest.raises(InvalidToken):
        decode_token(SECRET, token)


def test_an_expired_token_is_refused():
    token = issue_token(SECRET, role="emsd", org="EMSD", ttl=timedelta(seconds=-1))
    with pytest.raises(InvalidToken, match="xpired"):
        decode_token(SECRET, token)


@pytest.mark.parametrize("garbage", ["", "garbage", "a.b.c", "Bearer x", "..", "ey.ey.ey"])
def test_garbage_is_refused(garbage):
    with pytest.raises(InvalidToken):
        decode_token(SECRET, garbage)


@pytest.mark.parametrize(
    "bad",
    [
        {"org": "x" * 101},
        {"org": ""},
        {"org": "   "},
        {"org": "EMSD\nrole: emsd"},
        {"org": 42},
        {"role": "admin"},
        {"role": None},
        {"org": None},
        {"exp": None},
        {"iat": None},
        {"iss": "someone-else"},
        {"iss": None},
    ],
    ids=lambda d: ",".join(f"{k}={str(v)[:8]}" for k, v in d.items()),
)
def test_a_genuine_signature_over_bad_claims_is_refused(bad):
    with pytest.raises(InvalidToken):
        decode_token(SECRET, sign(claims(**bad)))


def test_the_longest_valid_org_is_accepted():
    assert decode_token(SECRET, sign(claims(org="x" * 100))).org == "x" * 100


@pytest.mark.parametrize("org", ["", "x" * 101, "tab\there"])
def test_issue_refuses_a_bad_org(org):
    with pytest.raises(ValueError, match="org"):
        issue_token(SECRET, role="emsd", org=org)


def test_issue_refuses_a_bad_role():
    with pytest.raises(ValueError, match="role"):
        issue_token(SECRET, role="admin", org="EMSD")
