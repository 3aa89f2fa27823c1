"""Reads the repository's Dockerfile and assembles what its final stage puts into the image, without Docker.

Docker does not run on the development machines, so the image is checked by its recipe: `assemble()` copies
exactly the files the final stage's COPY lines name into an empty directory standing for the image's root (the
build stage's product, the medvault binary, is the binary under test), and `Image` knows the stage's WORKDIR,
ENV and ENTRYPOINT, so a test can start medvault the way the image does. A COPY this module does not understand
fails the test instead of being skipped.
"""

from __future__ import annotations

import json
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from support import REPO_ROOT, medvault_binary

DOCKERFILE = REPO_ROOT / "Dockerfile"


@dataclass
class Image:
    root: Path
    workdir: PurePosixPath = PurePosixPath("/")
    env: dict[str, str] = field(default_factory=dict)
    entrypoint: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)

    def path(self, image_path: str | PurePosixPath) -> Path:
        """Where a path of the image lies under `root` (relative paths are taken from WORKDIR)."""
        absolute = self.workdir / image_path
        return self.root / absolute.relative_to("/")

    def executable(self, name: str) -> Path:
        if "/" in name:
            return self.path(name)
        for directory in ("/usr/local/bin", "/usr/bin", "/bin"):
            candidate = self.path(f"{directory}/{name}")
            if candidate.is_file():
                return candidate
        raise AssertionError(f"the image has no {name} on its PATH")


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    result, pending = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        whole = (pending + stripped).strip()
        pending = ""
        keyword, _, arguments = whole.partition(" ")
        result.append((keyword.upper(), arguments.strip()))
    return result


def final_stage(text: str) -> list[tuple[str, str]]:
    """The instructions after the last FROM."""
    steps = instructions(text)
    starts = [index for index, (keyword, _) in enumerate(steps) if keyword == "FROM"]
    assert starts, "the Dockerfile has no FROM"
    return steps[starts[-1] + 1 :]


def assemble(root: Path, dockerfile: Path = DOCKERFILE) -> Image:
    """Copies what the final stage copies into `root` and returns the image's description."""
    image = Image(root=root)
    for keyword, arguments in final_stage(dockerfile.read_text()):
        if keyword == "WORKDIR":
            image.workdir = image.workdir / arguments
            image.path(".").mkdir(parents=True, exist_ok=True)
        elif keyword == "ENV":
            image.env.update(_env_pairs(arguments))
        elif keyword == "ENTRYPOINT":
            image.entrypoint = _exec_form(arguments)
        elif keyword == "COPY":
            _copy(image, shlex.split(arguments))
    return image


def _copy(image: Image, words: list[str]) -> None:
    flags = [word for word in words if word.startswith("--")]
    paths = [word for word in words if not word.startswith("--")]
    assert len(paths) >= 2, f"COPY needs a source and a destination: {words}"
    *sources, destination = paths
    from_stage = next((flag.split("=", 1)[1] for flag in flags if flag.startswith("--from=")), None)
    for flag in flags:
        assert flag.startswith(("--from=", "--chown=", "--chmod=")), f"COPY flag this test does not know: {flag}"
    into_directory = destination.endswith("/") or len(sources) > 1
    for source in sources:
        if from_stage is not None:
            # The build stage's only product is the executable; the binary under test stands for it.
            assert PurePosixPath(source).name == "medvault", f"COPY --from={from_stage} of {source}: not the medvault binary"
            origin = medvault_binary()
        else:
            origin = REPO_ROOT / source
            assert origin.exists(), f"COPY of {source}, which the repository does not have"
        target = image.path(destination)
        if origin.is_dir():
            shutil.copytree(origin, target, dirs_exist_ok=True)
        else:
            if into_directory:
                target = target / origin.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
        image.copied.append(source)


def _env_pairs(arguments: str) -> dict[str, str]:
    words = shlex.split(arguments)
    if words and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    return dict(word.split("=", 1) for word in words)


def _exec_form(arguments: str) -> list[str]:
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)
