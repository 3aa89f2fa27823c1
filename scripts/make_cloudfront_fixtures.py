#!/usr/bin/env python3
"""Regenerates Tests/ObjectStorageTests/Fixtures/cloudfront/: the CloudFront signed URLs medvault's CloudFrontSigner
must reproduce byte for byte, made by botocore's CloudFrontSigner (an independent implementation).

Usage: .venv-test/bin/python scripts/make_cloudfront_fixtures.py

It writes `test-key.pem`, a 2048-bit RSA key generated for these tests only (it signs nothing real), and
`cases.json`: for each object key and expiry, the distribution URL, the resource (the URL with the key
percent-encoded as CloudFront expects: RFC 3986 unreserved characters and `/` kept, everything else as %XX of its
UTF-8 bytes) and botocore's signed URL (canned policy, RSA-SHA1 with PKCS #1 v1.5, CloudFront's URL-safe base64).
Running it again makes a new key, so every case changes; the tests only need the two files to agree.
Needs botocore and cryptography (both in scripts/requirements-test.txt).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

OUT = Path(__file__).resolve().parent.parent / "Tests" / "ObjectStorageTests" / "Fixtures" / "cloudfront"
KEY_PAIR_ID = "K2JCJMDEHXQW5F"
DISTRIBUTIONS = ["https://d111111abcdef8.cloudfront.net", "https://cdn.example.org/media"]
KEYS = [
    "patients/P-1001/lab-results/0f8fad5b-d9cb-469f-a165-70867728950e-cbc.pdf",
    "patients/P-1001/profile/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b-me (1).jpg",
    "providers/D_7/therapy-media/7c9e6679-7425-40de-944b-e07fc1f90ae7-Übung Knie.mp4",
    "appointments/appt-9/chat/16fd2706-8baf-433b-82eb-8c7fada847da-x+y=z & ~a,b;c'@!$.png",
    "archived/patients/p1/other/9b2e1b7a-2f4c-4f63-8a5e-3a1c5f0e2d11-日本語.txt",
]
EXPIRIES = [1_767_225_600, 1_800_000_000, 2_147_483_647, 4_102_444_800]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    (OUT / "test-key.pem").write_bytes(pem)
    signer = CloudFrontSigner(KEY_PAIR_ID, lambda message: key.sign(message, padding.PKCS1v15(), hashes.SHA1()))
    cases = []
    for index, object_key in enumerate(KEYS):
        for expires in EXPIRIES:
            distribution = DISTRIBUTIONS[(index + expires) % len(DISTRIBUTIONS)]
            resource = f"{distribution}/{quote(object_key, safe='/')}"
            signed = signer.generate_presigned_url(resource, date_less_than=datetime.fromtimestamp(expires, tz=timezone.utc))
            cases.append({"distribution": distribution, "key": object_key, "expires": expires, "resource": resource, "url": signed})
    document = {"keyPairId": KEY_PAIR_ID, "generator": f"botocore CloudFrontSigner", "cases": cases}
    (OUT / "cases.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases and a test key to {OUT}")


if __name__ == "__main__":
    main()
