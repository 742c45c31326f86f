"""`innoportal migrate` and `innoportal serve` as an operator runs them: what they say, their exit
codes, several at once on one SQLite file, and a service that must not start refusing to."""

import asyncio
import os
import shutil
import sqlite3
import subprocess

import pytest

from innoportal.db import Database
from innoportal.migrate import History, MigrationError, service_history
from innoportal.services import SERVICES
from innoportal.settings import CommonSettings
from innoportal.testing.system import CLI
from innoportal.testing.nats_server import free_port

from .test_schema import BROKEN


def env_for(data_dir, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNOPORTAL_")}
    return {**env, "INNOPORTAL_DATA_DIR": str(data_dir), "INNOPORTAL_NATS_URL": "nats://127.0.0.1:1",
            "INNOPORTAL_SECRET_KEY": "commands-test-secret-0123456789abcdef", **extra}


def run(*args: str, env: dict[str, str], timeout: float = 90) -> subprocess.CompletedProcess:
    return subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_migrate_brings_every_service_to_head_then_has_nothing_to_do(tmp_path):
    env = env_for(tmp_path)
    first = run("migrate", env=env)
    assert first.returncode == 0, first.stderr
    heads = {name: service_history(name).head() for name in SERVICES}
    assert first.stdout.splitlines() == [
        f"{name}: database migrated from an empty database to {head}" for name, head in heads.items()]
    again = run("migrate", env=env)
    assert again.stdout.splitlines() == [
        f"{name}: database at {head} (up to date)" for name, head in heads.items()]
    status = run("migrate", "trials", "--status", env=env)
    assert status.returncode == 0 and status.stdout.strip() == f"trials: database at {heads['trials']} (head)"


def test_several_processes_migrating_one_sqlite_file_at_once_all_succeed(tmp_path):
    env = env_for(tmp_path)
    procs = [subprocess.Popen([str(CLI), "migrate", "wishes"], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    outputs = [p.communicate(timeout=90) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    said = sorted(out.strip().split(": ", 1)[1] for out, _ in outputs)
    head = service_history("wishes").head()
    assert said == [f"database at {head} (up to date)"] * 2 + [
        f"database migrated from an empty database to {head}"]


def partial_database(data_dir) -> None:
    """A wishes database holding one table of the first release and nothing else."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(data_dir / "wishes.db") as conn:
        conn.execute("CREATE TABLE wishes (id VARCHAR(40) PRIMARY KEY)")


def test_migrate_refuses_a_schema_it_does_not_know_with_a_clear_message(tmp_path):
    partial_database(tmp_path)
    result = run("migrate", "wishes", env=env_for(tmp_path))
    assert result.returncode == 1
    assert "error: wishes: the database has some of the tables of the first release" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", ["not migrated, migrating off", "unknown schema"])
def test_serve_refuses_to_start_on_a_database_it_cannot_use(case, tmp_path):
    extra = {"INNOPORTAL_MIGRATE": "0"} if case.startswith("not migrated") else {}
    if case == "unknown schema":
        partial_database(tmp_path)
    result = run("serve", "wishes", "--port", str(free_port()), env=env_for(tmp_path, **extra))
    assert result.returncode == 1
    said = {"not migrated, migrating off": "the database is not migrated, this release needs",
            "unknown schema": "the database has some of the tables"}[case]
    assert said in result.stderr and "wishes not started" in result.stderr


async def test_a_broken_revision_stops_the_service_before_it_serves(tmp_path, capsys):
    """What `innoportal serve` does first (cli_ops.prepare_or_refuse), and Runtime.start."""
    from innoportal.cli_ops import prepare_or_refuse
    from services.wishes.bootstrap import bootstrap

    history = service_history("wishes")
    versions = tmp_path / "versions"
    shutil.copytree(history.versions, versions)
    (versions / "9999_broken.py").write_text(BROKEN.format(head=history.head()))
    common = CommonSettings(nats_url="nats://127.0.0.1:1", data_dir=tmp_path)
    db = Database(f"sqlite:///{tmp_path / 'wishes.db'}")
    runtime = bootstrap(common=common, db=db, history=History("wishes", versions, history.tables))
    with pytest.raises(MigrationError, match="migration to head failed and was rolled back"):
        await runtime.start(bus=False, relay=False)
    await db.dispose()
    # prepare_or_refuse runs its own event loop, as `serve` does before uvicorn starts.
    refused = await asyncio.to_thread(prepare_or_refuse, runtime)
    assert refused is False
    stderr = capsys.readouterr().err
    assert "THIS IS NOT SQL" in stderr and "wishes not started" in stderr
    with sqlite3.connect(tmp_path / "wishes.db") as conn:  # not even the baseline stayed
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []


async def test_a_new_revision_is_written_from_what_the_models_gained(tmp_path):
    """`innoportal migrate SERVICE --new MESSAGE` (developers), on a copy of the history."""
    import sqlalchemy as sa

    from innoportal.cli_ops import new_revision
    from innoportal.migrate import differences, migrate

    history = service_history("wishes")
    versions = tmp_path / "versions"
    shutil.copytree(history.versions, versions)
    metadata = history.metadata()
    metadata.tables["wishes"].append_column(sa.Column("budget_note", sa.String(80)))
    grown = History("wishes", versions, tuple(metadata.sorted_tables))
    path = await new_revision(grown, "wish budget note", tmp_path)
    number = int(history.head()) + 1
    assert path.name == f"{number:04d}_wish_budget_note.py"
    assert "batch_op.add_column(sa.Column('budget_note', sa.String(length=80)" in path.read_text()
    db = Database(f"sqlite:///{tmp_path / 'grown.db'}")
    try:
        assert (await migrate(db, History("wishes", versions, grown.tables))).after == f"{number:04d}"
        assert await differences(db, grown) == []
    finally:
        await db.dispose()


PATCHED_CLI = """
import sys
from pathlib import Path
import innoportal.migrate as migrate
import innoportal.runtime as runtime
from innoportal.cli import main

real = migrate.history_of

def broken(service, tables):  # the service's history, plus the broken revision
    found = real(service, tables)
    return found and migrate.History(service, Path(sys.argv[1]), found.tables)

migrate.history_of = runtime.history_of = broken
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("command", ["migrate", "serve"])
def test_a_broken_revision_makes_the_command_fail_and_say_why(command, tmp_path):
    """The real commands, with the history swapped for one whose last revision fails."""
    import sys

    history = service_history("wishes")
    versions = tmp_path / "versions"
    shutil.copytree(history.versions, versions)
    (versions / "9999_broken.py").write_text(BROKEN.format(head=history.head()))
    args = ["migrate", "wishes"] if command == "migrate" else [
        "serve", "wishes", "--port", str(free_port())]
    result = subprocess.run([sys.executable, "-c", PATCHED_CLI, str(versions), *args],
                            env=env_for(tmp_path), capture_output=True, text=True, timeout=90)
    assert result.returncode == 1, result.stderr
    assert "error: wishes: migration to head failed and was rolled back" in result.stderr
    assert "THIS IS NOT SQL" in result.stderr and "Traceback" not in result.stderr
    assert ("wishes not started" in result.stderr) == (command == "serve")
    with sqlite3.connect(tmp_path / "wishes.db") as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
