"""Two medvault nodes on one PostgreSQL database and one S3 bucket (ministack) behind nginx round-robin
(nodes.py): what one node does, the other sees at once (sessions, lockout, a disabled account, uploads), the audit
chain stays one chain under concurrent traffic through both, a node killed mid-traffic leaves the other answering,
and the two starting at once on an empty database migrate it once. Runs in the e2e_nodes stage."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import pytest

import databases
import samples
from nodes import Cluster, skip_reason
from support import ADMIN_API, REPO_ROOT, Browser, assert_error, run_cli

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

PASSWORD = "Two-Nodes-Passw0rd"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("two-nodes"))
    yield cluster
    cluster.shutdown()


def _user(cluster: Cluster, role: str = "provider") -> str:
    email = f"{role}-{uuid.uuid4().hex[:8]}@nodes.e2e.test"
    cluster.nodes[0].add_user(email, role, password=PASSWORD)
    return email


def test_the_two_nodes_starting_at_once_migrated_the_database_once(cluster):
    applied = databases.query(Path(), "SELECT identifier FROM medvault_migrations", url=cluster.database_url)
    expected = sorted(p.stem for p in (REPO_ROOT / "migrations" / "postgres").glob("*.sql"))
    assert sorted(row["identifier"] for row in applied) == expected
    logs = [node.output() for node in cluster.nodes]
    assert all("medvault listening" in log for log in logs)


def test_a_browser_session_made_on_one_node_works_on_the_other(cluster):
    a, b = cluster.nodes
    email = _user(cluster)
    browser = Browser(a)
    browser.signed_in(email, PASSWORD)
    browser.server = b
    assert browser.get("/").status_code == 200, "B knows A's session"
    cookies = browser.session.cookies.copy()
    assert browser.post("/logout", data={"csrf_token": browser.session_csrf()}).status_code == 303
    browser.session.cookies = cookies  # the signed-out cookie, replayed
    browser.server = a
    assert browser.get("/").status_code != 200, "signed out through B is signed out on A"


def test_five_failed_sign_ins_spread_over_both_nodes_lock_the_account(cluster):
    email = _user(cluster)
    browsers = [Browser(node) for node in cluster.nodes]
    for attempt in range(5):
        assert browsers[attempt % 2].sign_in(email, f"wrong-{attempt}").status_code == 401
    for browser in browsers:
        assert browser.sign_in(email, PASSWORD).status_code == 401, "locked on both nodes"
    rows = databases.query(Path(), "SELECT failed_attempts, locked_until FROM users WHERE email = ?", (email,), url=cluster.database_url)
    assert rows[0]["locked_until"] is not None, rows


def test_a_user_disabled_through_one_node_is_refused_by_the_other_at_once(cluster):
    a, b = cluster.nodes
    email = _user(cluster)
    token = a.issue_token(email)
    browser = Browser(b)
    browser.signed_in(email, PASSWORD)
    assert b.list(auth=token).status_code == 200
    disabled = a.post(ADMIN_API + "/users/disable", json={"email": email})
    assert disabled.status_code == 200, disabled.text
    assert_error(b.list(auth=token), 401, "invalid_token")
    assert browser.get("/").status_code != 200, "the browser session on B ends with the disable on A"


def test_uploads_through_either_node_are_listed_by_both(cluster):
    a, b = cluster.nodes
    patient = f"P-{uuid.uuid4().hex[:8]}"
    keys = {a.upload_ok([("from-a.pdf", samples.pdf("a"))], entity_id=patient)[0]["key"]}
    keys.add(b.upload_ok([("from-b.pdf", samples.pdf("b"))], entity_id=patient)[0]["key"])
    for node in (a, b, cluster.front):
        assert {f["key"] for f in node.list_all(prefix=f"patients/{patient}/")} == keys
    assert b.download(next(iter(keys))).status_code == 200


def test_concurrent_traffic_through_both_nodes_leaves_one_verified_audit_chain(cluster):
    front = cluster.front
    patient = f"P-{uuid.uuid4().hex[:8]}"
    failures: list[str] = []

    def traffic(worker: int) -> None:
        for index in range(6):
            response = front.upload([(f"w{worker}-{index}.pdf", samples.pdf(f"{worker}-{index}"))], entity_id=patient)
            if response.status_code != 201:
                failures.append(f"upload {response.status_code}")
            if front.list(prefix=f"patients/{patient}/").status_code != 200:
                failures.append("list")

    threads = [threading.Thread(target=traffic, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(front.list_all(prefix=f"patients/{patient}/")) == 36
    served = {line.strip() for line in (cluster.nginx.prefix / "access.log").read_text().splitlines()}
    verify = run_cli(["audit", "verify", "--data-dir", str(cluster.nodes[0].data_dir)], env=cluster.env)
    assert verify.returncode == 0 and "audit chain intact" in verify.stdout, verify.stderr + verify.stdout
    assert {f"127.0.0.1:{node.port}" for node in cluster.nodes} <= served, "nginx spread the traffic over both nodes"


def test_a_node_killed_mid_traffic_leaves_the_other_answering_through_nginx(cluster):
    front = cluster.front
    front.list()  # the admin token, issued before the traffic starts
    statuses: list[int] = []
    stop = threading.Event()

    def traffic() -> None:
        while not stop.is_set():
            try:
                statuses.append(front.list(maxKeys=5).status_code)
            except Exception as error:  # a refused request counts as a failure
                statuses.append(-1)
                print(error)

    thread = threading.Thread(target=traffic)
    thread.start()
    time.sleep(1.0)
    cluster.nodes[1].process.kill()  # SIGKILL
    killed_at = len(statuses)
    time.sleep(2.0)
    stop.set()
    thread.join()
    assert killed_at > 5 and len(statuses) > killed_at + 5, "traffic ran before and after the kill"
    assert set(statuses) == {200}, f"every request answered: {sorted(set(statuses))}"
    assert cluster.nodes[0].get("/readyz").status_code == 200
