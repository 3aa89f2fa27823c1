#!/usr/bin/env python3
"""Validate medvault's OpenAPI document (Public/openapi.yaml) against the OpenAPI 3.1 specification.

Usage: python3 scripts/validate_openapi.py [PATH]

PATH defaults to Public/openapi.yaml relative to the repository root, so the script works from any
directory. It needs `openapi-spec-validator` (which brings PyYAML), pinned in scripts/requirements-test.txt;
scripts/test.sh runs it in the schemathesis stage with the test environment's Python (.venv-test).

Besides the schema validation, it checks a few things the specification cannot express but our
contract requires: the version is 3.1.x, every operation answers with an `X-Request-Id` header on
every response, and every error response uses the shared `Error` schema.

Exit status: 0 when valid, 1 when invalid, 2 when the file or the validator is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = REPO_ROOT / "Public" / "openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def resolve(document: dict, node: dict) -> dict:
    """Follows local `$ref`s (`#/...`) until a non-reference object is reached."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"unsupported or circular reference: {ref}")
        seen.add(ref)
        target = document
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def contract_problems(document: dict) -> list[str]:
    """Checks of medvault's own rules, on top of the OpenAPI specification."""
    problems = []
    version = str(document.get("openapi", ""))
    if not version.startswith("3.1."):
        problems.append(f"openapi is {version!r}, expected 3.1.x")
    error_ref = "#/components/schemas/Error"
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            where = f"{method.upper()} {path}"
            for status, response in operation.get("responses", {}).items():
                resolved = resolve(document, response)
                headers = resolved.get("headers", {})
                if "X-Request-Id" not in headers:
                    problems.append(f"{where} {status}: no X-Request-Id header")
                if str(status)[0] in "45":
                    content = resolved.get("content", {})
                    schema = content.get("application/json", {}).get("schema", {})
                    if schema.get("$ref") != error_ref:
                        problems.append(f"{where} {status}: error response does not use {error_ref}")
    return problems


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PATH
    try:
        import yaml
        from openapi_spec_validator import OpenAPIV31SpecValidator, validate
        from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
        from openapi_spec_validator.versions.shortcuts import get_spec_version
    except ImportError as error:
        print(f"error: {error}; install openapi-spec-validator (see this script's docstring)", file=sys.stderr)
        return 2
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        print(f"error: cannot read {path}: {error}", file=sys.stderr)
        return 2

    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        print(f"{path}: not valid YAML: {error}", file=sys.stderr)
        return 1
    if not isinstance(document, dict):
        print(f"{path}: the document is not a mapping", file=sys.stderr)
        return 1

    try:
        version = get_spec_version(document)
        # Pin the 3.1 validator: a document that declared another version must not pass as that one.
        validate(document, base_uri=path.resolve().as_uri(), cls=OpenAPIV31SpecValidator)
    except OpenAPIValidationError as error:
        print(f"{path}: INVALID: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # the validator raises its own types for an unrecognised version
        print(f"{path}: INVALID: {type(error).__name__}: {error}", file=sys.stderr)
        return 1

    problems = contract_problems(document)
    if problems:
        for problem in problems:
            print(f"{path}: {problem}", file=sys.stderr)
        return 1

    operations = sum(1 for item in document["paths"].values() for method in HTTP_METHODS if method in item)
    print(f"{path}: valid {version} ({len(document['paths'])} paths, {operations} operations)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
