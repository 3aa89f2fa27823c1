"""Two medvault nodes on one PostgreSQL database and one S3 bucket (ministack) behind nginx round-robin, for
test_two_nodes.py: the shape a hospital group runs. Every node gets the same secrets (JWT secret, identifier key,
audit key, storage key) and its own data directory; nginx runs as a process with a generated configuration on a
free port and retries an idempotent request on the other node when one fails (`proxy_next_upstream`)."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import requests

import databases
from backends import S3Bucket, bucket_name, peer_environment
from support import AUTH_ENV, MedvaultServer, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# Secrets every node shares: a node with another key would refuse the chain or fail other nodes' sign-ins.
SHARED_SECRETS = {
    "MEDVAULT_AUDIT_KEY": base64.b64encode(bytes(range(32))).decode(),
    "MEDVAULT_IDENTIFIER_KEY": base64.b64encode(bytes(range(32, 64))).decode(),
    "MEDVAULT_STORAGE_KEY": base64.b64encode(bytes(range(64, 96))).decode(),
}

NGINX_CONF = """
worker_processes 1;
user root;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    log_format upstream '$upstream_addr';
    access_log {prefix}/access.log upstream;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    upstream medvault {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 0;
        proxy_request_buffering off;
        proxy_buffering off;
        location / {{
            proxy_pass http://medvault;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Connection "";
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout http_502;
            proxy_next_upstream_tries 2;
        }}
    }}
}}
"""


class Nginx:
    """nginx in front of `ports`, round-robin, on a free port of its own."""

    def __init__(self, prefix: Path, ports: list[int]):
        self.prefix = prefix
        self.prefix.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in ports)
        self.conf = prefix / "nginx.conf"
        self.conf.write_text(NGINX_CONF.format(prefix=prefix, port=self.port, servers=servers))
        self.process = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", str(self.conf), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=open(prefix / "stderr.log", "wb"),
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url("/healthz"), timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("nginx did not answer: " + (prefix / "error.log").read_text(errors="replace")[-2000:])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class Front(MedvaultServer):
    """The cluster as a client sees it: MedvaultServer's helpers (uploads, listings, users), sent to nginx."""

    def __init__(self, node: MedvaultServer, port: int):
        super().__init__(node.data_dir, node.log_dir, node.env_overrides)
        self.port = port


class Cluster:
    """Two nodes started at once on an empty PostgreSQL database and one new bucket, behind nginx."""

    def __init__(self, base: Path):
        self.database_url = databases.database_url(base / "cluster")
        peer = peer_environment("ministack")
        self.bucket = S3Bucket(peer, bucket_name("two-nodes")).create()
        self.env = AUTH_ENV | peer | SHARED_SECRETS | {"DATABASE_URL": self.database_url, "AWS_S3_DOCUMENTS_BUCKET_NAME": self.bucket.name}
        self.nodes = [MedvaultServer(base / f"node-{name}" / "data", base / f"node-{name}" / "logs", self.env) for name in "ab"]
        errors: list[BaseException] = []

        def start(node: MedvaultServer) -> None:
            try:
                node.start()
            except BaseException as error:  # reported below, on the test's thread
                errors.append(error)

        threads = [threading.Thread(target=start, args=(node,)) for node in self.nodes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            self.shutdown()
            raise errors[0]
        self.nginx = Nginx(base / "nginx", [node.port for node in self.nodes])
        self.front = Front(self.nodes[0], self.nginx.port)

    def shutdown(self) -> None:
        nginx = getattr(self, "nginx", None)
        if nginx is not None:
            nginx.stop()
        for node in self.nodes:
            node.shutdown()
        self.bucket.destroy()


def skip_reason() -> str | None:
    """Why the two-node tests cannot run here, or None."""
    if not os.environ.get("MEDVAULT_E2E_NODES"):
        return "runs in the e2e_nodes stage (MEDVAULT_E2E_NODES=1)"
    if not databases.on_postgres():
        return "needs PostgreSQL (MEDVAULT_E2E_DATABASE_URL)"
    if not os.access(NGINX, os.X_OK):
        return "needs nginx (Debian's nginx-light)"
    return None
