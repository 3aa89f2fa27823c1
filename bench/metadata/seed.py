#!/usr/bin/env python3
"""Seed a medvault data directory's index with N realistic documents, in seconds.

    python3 bench/metadata/seed.py DATA_DIR [--documents 100000] [--patients 2000] [--seed 6] [--uploaded-by EMAIL]

The database must already have its schema: run `medvault migrate --data-dir DATA_DIR` first (run.sh does),
so `grdb_migrations` records exactly what medvault applied. Rows go straight into `documents` with Python's
sqlite3 in one transaction, in the exact columns and rules of migrations/0001_initial.sql (0002_access adds no
document column; 0003_filename_search's triggers, when present, index every row's search_name as it goes in):

- keys follow the layout `patients/{patientId}/{folder}/{uuid}-{name}` (consent and intake forms in `forms/`,
  invoices in `billing/`); `{name}` is a realistic, already-sanitised file name (no `%?#"<>|*:`, NFC);
- `search_name` is `name.lower()` in NFC, as `DocumentRecord.searchName(for:)` computes it;
- `uploaded_by` is the id of the user named by --uploaded-by (created beforehand with `medvault user add`, as
  run.sh does; the upload API stores the uploader's user id there), or NULL without it;
- the `documents_totals_insert` trigger runs for every row, so `document_totals` (what stats read) is exact;
  the script checks it against a full count at the end.

Objects are not written: list, stats and `download?presigned=true` read only the index. Patients get a
skewed number of documents (a few have hundreds, most a few dozen); upload times spread over three years.
Also writes DATA_DIR/bench-ids.txt (every document id, shuffled) for the pre-sign load script.
"""
import argparse
import hashlib
import os
import random
import sqlite3
import sys
import time
import unicodedata
import uuid

# category -> (folder, weight, [(extension, content type, min size, max size)], name stems)
CATEGORIES = {
    "medical-records": ("medical-records", 22, [("pdf", "application/pdf", 40_000, 3_000_000),
                                                ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 20_000, 900_000),
                                                ("txt", "text/plain", 800, 60_000)],
                        ["discharge summary", "progress note", "history and physical", "clinic visit note", "operative report",
                         "consultation report", "referral letter", "medication list", "problem list", "allergy record",
                         "immunization record", "radiology report", "pathology report", "Arztbrief", "compte rendu opératoire"]),
    "lab-results": ("lab-results", 20, [("pdf", "application/pdf", 30_000, 800_000),
                                        ("csv", "text/csv", 500, 40_000),
                                        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 8_000, 200_000)],
                    ["CBC", "comprehensive metabolic panel", "lipid panel", "HbA1c", "TSH", "urinalysis", "blood culture",
                     "COVID-19 PCR", "vitamin D", "INR", "liver function tests", "basic metabolic panel", "troponin",
                     "lab report", "Blutbild"]),
    "imaging": ("imaging", 14, [("dcm", "application/dicom", 400_000, 48_000_000),
                                ("jpg", "image/jpeg", 80_000, 6_000_000),
                                ("png", "image/png", 60_000, 8_000_000)],
                ["chest x-ray PA", "chest x-ray lateral", "CT head without contrast", "MRI lumbar spine", "knee MRI",
                 "abdominal ultrasound", "mammogram", "echocardiogram", "DEXA scan", "CT abdomen pelvis",
                 "hand x-ray", "dental panoramic", "thyroid ultrasound", "Röntgen Thorax"]),
    "consent-forms": ("forms", 8, [("pdf", "application/pdf", 20_000, 500_000),
                                   ("jpg", "image/jpeg", 100_000, 3_000_000)],
                      ["consent form surgery", "anesthesia consent", "HIPAA authorization", "telehealth consent",
                       "consent to treat", "research consent", "photo consent", "release of information"]),
    "intake-forms": ("forms", 8, [("pdf", "application/pdf", 20_000, 600_000),
                                  ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 15_000, 300_000)],
                     ["new patient intake", "intake questionnaire", "health history form", "PHQ-9", "GAD-7",
                      "pre-visit questionnaire", "pediatric intake", "dental intake form"]),
    "insurance": ("insurance", 9, [("jpg", "image/jpeg", 60_000, 4_000_000),
                                   ("png", "image/png", 50_000, 3_000_000),
                                   ("pdf", "application/pdf", 30_000, 400_000)],
                  ["insurance card front", "insurance card back", "Medicare card", "Medicaid card", "EOB",
                   "prior authorization", "coverage letter", "Versichertenkarte"]),
    "invoices": ("billing", 8, [("pdf", "application/pdf", 15_000, 300_000),
                                ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 8_000, 120_000)],
                 ["invoice", "statement", "receipt", "itemized bill", "payment plan", "Rechnung", "facture"]),
    "prescriptions": ("prescriptions", 7, [("pdf", "application/pdf", 10_000, 200_000),
                                           ("jpg", "image/jpeg", 60_000, 2_500_000)],
                      ["prescription", "Rx amoxicillin", "Rx lisinopril", "Rx metformin", "Rx atorvastatin",
                       "refill request", "eRx confirmation", "Rezept"]),
    "other": ("other", 4, [("pdf", "application/pdf", 5_000, 2_000_000),
                           ("txt", "text/plain", 200, 20_000),
                           ("gif", "image/gif", 5_000, 500_000),
                           ("webp", "image/webp", 20_000, 900_000)],
              ["note", "scan", "letter", "photo", "misc", "patient message", "fax cover", "document"]),
}

SUFFIXES = ["", "", "", " final", " signed", " copy", " (2)", " v2", " scanned", " page 1", " page 2", " corrected"]
PREFIXES = ["", "", "", "", "Dr Smith ", "Dr Nguyen ", "St Mary ", "Quest ", "LabCorp ", "Mayo ", "urgent "]
# A handful of documents carry this word, so a search for it must walk the whole index to fill a page.
RARE_WORD = "pheochromocytoma"
RARE_COUNT = 7


def file_name(rng: random.Random, stem: str, ext: str, when: time.struct_time, keep_stem: bool = False) -> str:
    style = rng.randrange(5 if keep_stem else 6)
    date = time.strftime("%Y-%m-%d", when)
    if style == 0:
        base = f"{stem} {date}"
    elif style == 1:
        base = f"{stem.replace(' ', '_')}_{time.strftime('%Y%m%d', when)}"
    elif style == 2:
        base = f"{date} {stem}"
    elif style == 3:
        base = f"{stem}-{rng.randrange(1000, 99999)}"
    elif style == 4:
        base = stem.upper() if rng.random() < 0.3 else stem.title()
    else:
        base = f"IMG_{rng.randrange(1000, 9999)}" if ext in ("jpg", "png") else f"scan{rng.randrange(1, 400):04d}"
    name = f"{rng.choice(PREFIXES)}{base}{rng.choice(SUFFIXES)}.{ext}"
    return unicodedata.normalize("NFC", name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--patients", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--uploaded-by", metavar="EMAIL", help="e-mail address of the existing user who uploaded them")
    args = parser.parse_args()

    path = os.path.join(args.data_dir, "medvault.sqlite")
    if not os.path.exists(path):
        print(f"{path} does not exist: run `medvault migrate --data-dir {args.data_dir}` first", file=sys.stderr)
        return 1
    rng = random.Random(args.seed)
    patients = [f"P-{100000 + i}" for i in range(args.patients)]
    # Zipf-like weights: chronic patients have hundreds of documents, most have a few dozen.
    patient_weights = [1.0 / (1 + i) ** 0.6 for i in range(args.patients)]
    rng.shuffle(patient_weights)
    categories = list(CATEGORIES)
    category_weights = [CATEGORIES[c][1] for c in categories]
    end = int(time.time() * 1000)
    start = end - 3 * 365 * 86_400_000
    rare = set(rng.sample(range(args.documents), RARE_COUNT))

    uploader = None
    if args.uploaded_by:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            found = db.execute("SELECT id FROM users WHERE email = ?", (args.uploaded_by.strip().lower(),)).fetchone()
        if not found:
            print(f"no user {args.uploaded_by} in {path}: create it with `medvault user add` first", file=sys.stderr)
            return 1
        uploader = found[0]

    rows = []
    ids = []
    for n in range(args.documents):
        patient = rng.choices(patients, patient_weights)[0]
        category = rng.choices(categories, category_weights)[0]
        folder, _, types, stems = CATEGORIES[category]
        ext, content_type, low, high = rng.choice(types)
        uploaded = rng.randrange(start, end)
        stem = rng.choice(stems)
        if n in rare:
            stem = f"{RARE_WORD} workup"
        name = file_name(rng, stem, ext, time.gmtime(uploaded / 1000), keep_stem=n in rare)
        doc_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        key = f"patients/{patient}/{folder}/{doc_id}-{name}"
        size = int(low * (high / low) ** rng.random())  # log-uniform
        sha = hashlib.sha256(doc_id.encode()).hexdigest()
        etag = '"' + hashlib.sha256(sha.encode()).hexdigest()[:32] + '"'
        search = unicodedata.normalize("NFC", name.lower())
        rows.append((doc_id, key, name, search, size, content_type, category, "patient", patient, sha, etag, uploaded,
                     uploader))
        ids.append(doc_id)

    began = time.monotonic()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA cache_size=-262144")  # 256 MiB: the indexes stay in memory while they are built
    db.execute("BEGIN IMMEDIATE")
    db.executemany(
        "INSERT INTO documents (id, key, file_name, search_name, size, content_type, category, entity_type, entity_id,"
        " sha256, etag, uploaded_at, uploaded_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # document_totals is kept by the insert trigger; prove it agrees with the table.
    expected = db.execute(
        "SELECT status, category, content_type, count(*), sum(size) FROM documents GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    ).fetchall()
    totals = db.execute("SELECT status, category, content_type, count, bytes FROM document_totals ORDER BY 1, 2, 3").fetchall()
    if expected != totals:
        print("document_totals disagrees with documents", file=sys.stderr)
        return 1
    count, = db.execute("SELECT count(*) FROM documents").fetchone()
    patients_used, = db.execute("SELECT count(DISTINCT entity_id) FROM documents").fetchone()
    db.close()
    rng.shuffle(ids)
    with open(os.path.join(args.data_dir, "bench-ids.txt"), "w") as f:
        f.write("\n".join(ids) + "\n")
    print(f"seeded {args.documents} documents ({count} in the index, {patients_used} patients, 9 categories) "
          f"in {time.monotonic() - began:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
