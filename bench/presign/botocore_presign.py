#!/usr/bin/env python3
"""botocore's generate_presigned_url, timed the way PresignBenchmark times medvault.

One thread, the same request as bench/presign/Swift/Workload.swift (path-style http://127.0.0.1:9000,
bucket medvault, the same key, expiry 3600 s, response-content-type and response-content-disposition),
the current time read by botocore on every call. Several timed runs; prints key=value lines.

    .venv-bench/bin/python bench/presign/botocore_presign.py [--runs 5] [--seconds 2] [--sample-url]

--sample-url prints only the URL signed at 2025-01-01T00:00:00Z (for the cross-check in run.sh).
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time

import boto3
import botocore
import botocore.auth
from botocore.config import Config

ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
ENDPOINT = "http://127.0.0.1:9000"
BUCKET = "medvault"
KEY = "patients/P-1001/lab-results/3f2b8c1e-7a4d-4e9b-9c0a-5d6e7f8a9b0c-report.pdf"
EXPIRES = 3600
RESPONSE_CONTENT_TYPE = "application/pdf"
RESPONSE_CONTENT_DISPOSITION = "inline; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
SAMPLE_DATE = datetime.datetime(2025, 1, 1, 0, 0, 0)


def make_client():
    return boto3.session.Session().client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def presign(client) -> str:
    return client.generate_presigned_url(
        "get_object",
        Params={
            "Bucket": BUCKET,
            "Key": KEY,
            "ResponseContentType": RESPONSE_CONTENT_TYPE,
            "ResponseContentDisposition": RESPONSE_CONTENT_DISPOSITION,
        },
        ExpiresIn=EXPIRES,
    )


def timed_run(client, seconds: float, batch: int = 64) -> tuple[int, float, float]:
    iterations = 0
    sink = 0
    wall_start = time.perf_counter()
    cpu_start = time.thread_time()
    wall = 0.0
    while wall < seconds:
        for _ in range(batch):
            sink += len(presign(client))
        iterations += batch
        wall = time.perf_counter() - wall_start
    assert sink > 0
    return iterations, wall, time.thread_time() - cpu_start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--sample-url", action="store_true")
    args = parser.parse_args()

    client = make_client()
    if args.sample_url:
        botocore.auth.get_current_datetime = lambda remove_tzinfo=True: SAMPLE_DATE
        print(presign(client))
        return

    timed_run(client, min(0.5, args.seconds))  # warm-up: endpoint resolution, model loading, caches
    results = [timed_run(client, args.seconds) for _ in range(max(1, args.runs))]
    wall = [n / w for n, w, _ in results]
    cpu = [n / c for n, _, c in results]
    print(f"botocore_version={botocore.__version__}")
    print(f"runs={len(results)} seconds={args.seconds}")
    print("botocore_wall_runs=" + ",".join(str(round(v)) for v in wall))
    print(f"botocore_wall={round(statistics.median(wall))}")
    print(f"botocore_cpu={round(statistics.median(cpu))}")


if __name__ == "__main__":
    main()
