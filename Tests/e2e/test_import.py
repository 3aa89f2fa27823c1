"""`medvault import --manifest FILE.csv`: existing files brought in through the upload's own checks, on the selected
backend (and database).

One manifest mixes good files (local paths, and on S3 `s3://` objects put with boto3 in a bucket of their own), a
polyglot the upload inspector refuses, and a missing source. A dry run stores nothing; the import stores the good
files (downloadable with the right bytes, visible in list, audited `document.import`) and reports the refusals with
the upload API's codes; a re-run skips what it imported, and a changed file is imported anew. Originals are left as
they were, and the audit chain still verifies.
"""

from __future__ import annotations

import csv
import hashlib

import pytest

import samples
from backends import S3Bucket, bucket_name

pytestmark = pytest.mark.s3_semantics("s3:// sources and writes")

ENTITY = "IMP-P1"
HEADER = ["entityId", "category", "fileName", "source", "entityType", "uploadedAt", "uploadedBy"]


def write_manifest(path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=HEADER)
        writer.writeheader()
        for row in rows:
            writer.writerow({"entityId": ENTITY, "category": "medical-records", "entityType": "patient", "uploadedAt": "", "uploadedBy": ""} | row)


def run_import(server, manifest, report, *flags: str):
    result = server.cli(["import", "--manifest", str(manifest), "--report", str(report), *flags], timeout=120)
    with open(report, newline="", encoding="utf-8") as rows:
        return result, {row["source"]: row for row in csv.DictReader(rows)}


def import_rows(server) -> list[dict]:
    return server.query("SELECT outcome, error_code, document_id FROM audit_events WHERE action = 'document.import' ORDER BY sequence")


def test_import_manifest(start_server, tmp_path):
    server = start_server(name="import")
    originals = tmp_path / "legacy"
    originals.mkdir()
    files = {
        "letter.pdf": samples.pdf("imported letter"),
        "Befund, \"ärztlich\".png": samples.png(3, 3),
    }
    good = []
    for name, data in files.items():
        (originals / name).write_bytes(data)
        good.append({"source": str(originals / name), "fileName": name})
    good[0] |= {"uploadedAt": "2021-03-04T05:06:07.890Z", "uploadedBy": server.admin_email}
    source_bucket = None
    if server.on_s3:
        source_bucket = S3Bucket(server.bucket.env, bucket_name("import-src")).create()
        data = samples.pdf("from a public bucket")
        source_bucket.client.put_object(Bucket=source_bucket.name, Key="old app/lab 1.pdf", Body=data)
        files["lab 1.pdf"] = data
        good.append({"source": f"s3://{source_bucket.name}/old app/lab 1.pdf", "fileName": "lab 1.pdf"})
    # A PNG with a PDF after it (readers of either format accept it), named as a PDF.
    polyglot = originals / "scan.pdf"
    polyglot.write_bytes(samples.png() + samples.pdf("hidden"))
    missing = str(originals / "gone.pdf")
    manifest = tmp_path / "manifest.csv"
    write_manifest(manifest, good + [{"source": str(polyglot), "fileName": "scan.pdf"}, {"source": missing, "fileName": "gone.pdf"}])
    expected_bytes = {row["source"]: files[row["fileName"]] for row in good}

    try:
        # A manifest without a required column is refused whole: exit 2, nothing stored.
        broken = tmp_path / "broken.csv"
        broken.write_text("source,fileName\n/x.pdf,x.pdf\n", encoding="utf-8")
        refused = server.cli(["import", "--manifest", str(broken)])
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "category" in refused.stderr and "entityId" in refused.stderr

        # Dry run: every check, nothing stored, no document audited.
        dry, report = run_import(server, manifest, tmp_path / "dry.csv", "--dry-run")
        assert dry.returncode == 1, dry.stdout + dry.stderr
        assert {source: row["status"] for source, row in report.items() if source in expected_bytes} == dict.fromkeys(expected_bytes, "would_import")
        assert (report[str(polyglot)]["status"], report[str(polyglot)]["code"]) == ("refused", "type_mismatch")
        assert (report[missing]["status"], report[missing]["code"]) == ("refused", "source_not_found")
        assert server.list_all(prefix=f"patients/{ENTITY}/") == [] and server.stored_objects() == []
        assert import_rows(server) == []

        # The import: good files stored and audited, refusals reported with the upload API's codes.
        first, report = run_import(server, manifest, tmp_path / "first.csv")
        assert first.returncode == 1, first.stdout + first.stderr
        for text in (ENTITY, "letter", "Befund", "scan.pdf", "gone", "lab 1"):
            assert text not in first.stdout + first.stderr, f"{text!r} leaked into the output"
        assert (report[str(polyglot)]["code"], report[missing]["code"]) == ("type_mismatch", "source_not_found")
        assert "image/png" in report[str(polyglot)]["message"] and "scan.pdf" not in report[str(polyglot)]["message"]
        listed = {file["id"]: file for file in server.list_all(prefix=f"patients/{ENTITY}/")}
        assert len(listed) == len(expected_bytes)
        for source, data in expected_bytes.items():
            row = report[source]
            assert row["status"] == "imported" and row["sha256"] == hashlib.sha256(data).hexdigest(), row
            assert listed[row["id"]]["key"] == row["key"]
            download = server.download(id=row["id"])
            assert download.status_code == 200 and download.content == data
        assert listed[report[good[0]["source"]]["id"]]["uploadedAt"] == "2021-03-04T05:06:07.890Z"
        audited = import_rows(server)
        assert sorted(row["document_id"] for row in audited if row["outcome"] == "success") == sorted(listed)
        assert sorted(row["error_code"] for row in audited if row["outcome"] == "rejected") == ["source_not_found", "type_mismatch"]

        # Originals untouched.
        for name, data in files.items():
            if (originals / name).exists():
                assert (originals / name).read_bytes() == data
        if source_bucket is not None:
            assert source_bucket.get("old app/lab 1.pdf") == files["lab 1.pdf"]

        # Re-run of the good rows: all skipped, exit 0, nothing new.
        good_manifest = tmp_path / "good.csv"
        write_manifest(good_manifest, good)
        again, skipped = run_import(server, good_manifest, tmp_path / "again.csv")
        assert again.returncode == 0, again.stdout + again.stderr
        assert {source: (row["status"], row["id"]) for source, row in skipped.items()} == {
            source: ("skipped", report[source]["id"]) for source in expected_bytes
        }
        assert len(server.list_all(prefix=f"patients/{ENTITY}/")) == len(expected_bytes)

        # A file changed at the same source is imported anew; the rest is still skipped.
        changed = good[1]["source"]
        with open(changed, "wb") as out:
            out.write(samples.png(5, 5))
        third, after = run_import(server, good_manifest, tmp_path / "third.csv")
        assert third.returncode == 0, third.stdout + third.stderr
        assert after[changed]["status"] == "imported" and after[changed]["id"] != report[changed]["id"]
        assert [row["status"] for source, row in after.items() if source != changed] == ["skipped"] * (len(expected_bytes) - 1)

        verify = server.cli(["audit", "verify"])
        assert verify.returncode == 0, verify.stdout + verify.stderr
    finally:
        if source_bucket is not None:
            source_bucket.destroy()


@pytest.mark.local_only("clamd scans the same bytes whichever store keeps them")
def test_import_scans_with_clamd(start_server, clamd_url, tmp_path):
    from clamd import MARKER, MARKER_SIGNATURE

    scanning = start_server({"MEDVAULT_CLAMD_URL": clamd_url}, name="import-av")
    clean, infected = tmp_path / "clean.pdf", tmp_path / "infected.pdf"
    clean.write_bytes(samples.pdf("clean"))
    infected.write_bytes(samples.pdf("report") + b"\n%" + MARKER + b"\n")
    manifest = tmp_path / "manifest.csv"
    write_manifest(manifest, [{"source": str(clean), "fileName": "clean.pdf"}, {"source": str(infected), "fileName": "infected.pdf"}])

    dry, report = run_import(scanning, manifest, tmp_path / "dry.csv", "--dry-run")
    assert dry.returncode == 1, dry.stdout + dry.stderr
    assert [(row["status"], row["code"]) for row in report.values()] == [("would_import", ""), ("refused", "malware_detected")]

    result, report = run_import(scanning, manifest, tmp_path / "report.csv")
    assert result.returncode == 1, result.stdout + result.stderr
    assert [(row["status"], row["code"]) for row in report.values()] == [("imported", ""), ("refused", "malware_detected")]
    assert [file["id"] for file in scanning.list_all(prefix=f"patients/{ENTITY}/")] == [report[str(clean)]["id"]]
    rows = scanning.query("SELECT outcome, detail FROM audit_events WHERE action = 'document.import' ORDER BY sequence")
    assert [row["outcome"] for row in rows] == ["success", "rejected"]
    assert "scan: clean" in rows[0]["detail"] and MARKER_SIGNATURE in rows[1]["detail"]
