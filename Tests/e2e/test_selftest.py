"""The storage self-check: `medvault selftest` and the `/test/s3` page, on the selected backend.

Every check must pass on the local store and on ministack, which checks signatures and expiry like S3. moto checks
neither, so there the self-check rightly fails exactly the expiry and tampered-URL checks; the tests expect that.
"""

from __future__ import annotations

import re

import pytest

from backends import S3Bucket, bucket_name, is_s3, peer_environment
from support import ADMIN_PASSWORD, SELFTEST_CHECKS, Browser, expected_selftest_failures, run_cli

pytestmark = pytest.mark.s3_semantics("the self-check's calls against the bucket")

NAMES = [
    "feature flag",
    "configuration",
    "round trip",
    "pre-signed URL",
    "pre-signed URL expiry",
    "tampered URL",
    "listing and metadata",
    "large file",
    "encryption",
    "antivirus",
    "cleanup",
]
PASSWORD = "e2e-Selftest-Passw0rd!"
ROW = re.compile(r'<tr class="check" data-name="([^"]+)" data-status="([^"]+)">')


@pytest.fixture
def s3_env(backend):
    """The S3 peer's variables with a fresh bucket (removed afterwards); empty on the local store."""
    if not is_s3(backend):
        yield {}
        return
    env = peer_environment(backend)
    bucket = S3Bucket(env, bucket_name("selftest-cli")).create()
    yield env | {"AWS_S3_DOCUMENTS_BUCKET_NAME": bucket.name}
    bucket.destroy()


def check_lines(stdout: str) -> dict[str, str]:
    """`PASS  round trip  12 ms  …` lines by check name → status word."""
    statuses = {}
    for line in stdout.splitlines():
        for name in sorted(NAMES, key=len, reverse=True):
            match = re.match(rf"(PASS|FAIL|SKIP)  {re.escape(name)}\s", line)
            if match:
                statuses[name] = match.group(1)
                break
    return statuses


def test_cli_runs_every_check_and_exits_by_the_result(tmp_path, backend, s3_env):
    result = run_cli(["selftest", "--data-dir", str(tmp_path / "data")], env=s3_env, timeout=120)
    statuses = check_lines(result.stdout)
    assert list(statuses) == NAMES, result.stdout + result.stderr
    failing = {SELFTEST_CHECKS[NAMES.index(name)] for name, status in statuses.items() if status != "PASS"}
    assert failing == expected_selftest_failures(backend), result.stdout
    assert result.returncode == (1 if failing else 0), result.stdout + result.stderr
    if not failing:
        assert "All 11 checks passed" in result.stdout
    if not is_s3(backend):
        assert "No server is listening" in result.stdout, "without a server the local URLs are verified in process"
    secret = s3_env.get("AWS_SECRET_ACCESS_KEY")
    assert not secret or secret not in result.stdout + result.stderr
    assert "X-Amz-Signature" not in result.stdout


@pytest.mark.s3_only("wrong S3 credentials")
def test_cli_with_a_wrong_secret_fails_naming_the_check(tmp_path, backend, s3_env):
    if backend == "moto":
        pytest.skip("moto checks no signatures, so a wrong secret is accepted")
    result = run_cli(["selftest", "--data-dir", str(tmp_path / "data")], env=s3_env | {"AWS_SECRET_ACCESS_KEY": "wrong-" + "x" * 34})
    assert result.returncode == 1, result.stdout
    assert re.search(r"^FAIL  round trip\s.*storage_denied", result.stdout, re.MULTILINE), result.stdout
    assert "checks failed (round trip" in result.stdout


@pytest.mark.local_only("the feature flag on the local store")
def test_cli_with_storage_disabled_fails_the_feature_flag(tmp_path):
    result = run_cli(["selftest", "--data-dir", str(tmp_path / "data")], env={"ENABLE_AWS_S3_STORAGE": "false"})
    assert result.returncode == 1
    assert re.search(r"^FAIL  feature flag\s", result.stdout, re.MULTILINE), result.stdout


def rows(page: str) -> dict[str, str]:
    return dict(ROW.findall(page))


def test_page_shows_every_check_for_an_admin_and_reruns(server, backend):
    browser = Browser(server)
    browser.signed_in(server.admin_email, ADMIN_PASSWORD)
    response = browser.get("/test/s3", timeout=120)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Cache-Control"] == "no-store"
    found = rows(response.text)
    assert list(found) == SELFTEST_CHECKS
    failing = {name for name, status in found.items() if status != "pass"}
    assert failing == expected_selftest_failures(backend), response.text
    assert 'id="selftest-results"' in response.text and 'id="selftest-summary"' in response.text
    if not failing:
        assert "All 11 checks passed" in response.text
    for cell in ("check-name", "check-status", "check-duration", "check-detail"):
        assert response.text.count(f'class="{cell}"') == len(SELFTEST_CHECKS)
    audit = server.query("SELECT * FROM audit_events WHERE action = 'storage.selftest' ORDER BY sequence")
    assert audit and audit[-1]["outcome"] == "success"
    assert audit[-1]["detail"] == f"11 checks, {len(failing)} failed"

    csrf = re.search(r'<form id="rerun" method="post" action="/test/s3">\s*<input type="hidden" name="csrf_token" value="([^"]+)"', response.text)
    assert csrf, "the re-run form carries the session's CSRF token"
    rerun = browser.post("/test/s3", data={"csrf_token": csrf.group(1)}, timeout=120)
    assert rerun.status_code == 200
    assert list(rows(rerun.text)) == SELFTEST_CHECKS
    assert len(server.query("SELECT * FROM audit_events WHERE action = 'storage.selftest'")) == len(audit) + 1

    forged = browser.post("/test/s3", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    assert "text/html" in forged.headers["Content-Type"]
    assert 'id="selftest-results"' not in forged.text


def test_page_sends_anonymous_visitors_to_sign_in(server):
    response = Browser(server).get("/test/s3")
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"


@pytest.mark.parametrize("role", ["patient", "provider"])
def test_only_administrators_may_run_it_even_in_development(server, role):
    email = f"selftest-dev-{role}@e2e.test"
    server.add_user(email, role, patient_id="selftest-dev" if role == "patient" else None, password=PASSWORD)
    browser = Browser(server)
    csrf = browser.signed_in(email, PASSWORD)
    denied_before = len(server.query("SELECT * FROM audit_events WHERE action = 'storage.selftest' AND outcome = 'denied'"))
    for response in (browser.get("/test/s3"), browser.post("/test/s3", data={"csrf_token": csrf})):
        assert response.status_code == 403, response.text[:300]
        assert "text/html" in response.headers["Content-Type"]
        assert 'id="selftest-results"' not in response.text
        assert "Only administrators can run the storage self-check." in response.text
    denied = server.query("SELECT * FROM audit_events WHERE action = 'storage.selftest' AND outcome = 'denied'")
    assert len(denied) == denied_before + 2


def test_no_page_shows_a_non_administrator_a_file_system_path(server):
    server.add_user("selftest-paths@e2e.test", "patient", patient_id="selftest-paths", password=PASSWORD)
    browser = Browser(server)
    browser.signed_in("selftest-paths@e2e.test", PASSWORD)
    data_dir = str(server.data_dir.resolve())
    for path in ["/", "/documents", "/test/s3", "/storage", "/documents?patient=../../etc"]:
        response = browser.get(path, timeout=120)
        assert response.status_code in (200, 400, 403), (path, response.status_code)
        assert data_dir not in response.text and str(server.data_dir) not in response.text, path
        assert "storage.key" not in response.text, path


@pytest.mark.s3_only("production requires S3")
def test_a_patient_gets_403_in_production(start_server):
    production = start_server({"MEDVAULT_ENV": "production"}, name="selftest-production")
    production.add_user("prod-patient@e2e.test", "patient", patient_id="selftest-prod", password=PASSWORD)
    browser = Browser(production)
    browser.signed_in("prod-patient@e2e.test", PASSWORD)
    response = browser.get("/test/s3")
    assert response.status_code == 403
    assert "text/html" in response.headers["Content-Type"]
    assert 'id="selftest-results"' not in response.text
    denied = production.query("SELECT * FROM audit_events WHERE action = 'storage.selftest' AND outcome = 'denied'")
    assert len(denied) == 1
