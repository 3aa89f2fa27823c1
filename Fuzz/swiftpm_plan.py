"""Reads what scripts/fuzz.sh needs from the product's SwiftPM debug build, so the fuzzers reuse its third-party
modules and objects (swift-nio, swift-crypto, ...) instead of building them again.

    swiftpm_plan.py flags BIN_PATH MODULE...     compiler flags SwiftPM passes these modules: the C module maps
                                                 and include paths of their dependencies, language mode, upcoming
                                                 features and package name; one argument per line
    swiftpm_plan.py objects BIN_PATH FILE...     the object files of every third-party module the Swift FILEs
                                                 import, with all the modules those depend on; one per line

BIN_PATH is `swift build --show-bin-path` after `swift build --build-tests`. The facts come from SwiftPM's
description.json (its build plan: each module's compiler arguments and dependency closure) and from the
products' Objects.LinkFileList (the exact objects SwiftPM links), both written by every build.
"""

import json
import pathlib
import re
import sys

KEPT_WITH_VALUE = {"-swift-version", "-enable-upcoming-feature", "-package-name"}
IMPORT = re.compile(r"^\s*(?:@[\w(: )]+\s+)*import\s+(?:(?:struct|enum|class|func|protocol|typealias|var|let)\s+)?(\w+)", re.M)


def fail(message):
    print(f"swiftpm_plan.py: {message}", file=sys.stderr)
    sys.exit(1)


def description(bin_path):
    path = bin_path / "description.json"
    if not path.is_file():
        fail(f"no {path}: run `swift build --build-tests` first")
    return json.loads(path.read_text())


def module_command(plan, module):
    for name, command in plan["swiftCommands"].items():
        if command["moduleName"] == module and not name.endswith("-tool.module"):
            return command
    fail(f"SwiftPM's build plan has no Swift module {module}")


def flags(plan, modules):
    """The arguments of the modules' SwiftPM compile commands that say how to import their dependencies."""
    kept, seen = [], set()
    for module in modules:
        arguments = module_command(plan, module)["otherArguments"]
        index = 0
        while index < len(arguments):
            argument, following = arguments[index], arguments[index + 1:index + 2]
            if argument == "-Xcc" and following and following[0].startswith("-fmodule-map-file="):
                group = arguments[index:index + 2]
            elif argument == "-Xcc" and following == ["-I"]:
                group = arguments[index:index + 4]
            elif argument in KEPT_WITH_VALUE:
                group = arguments[index:index + 2]
            else:
                index += 1
                continue
            index += len(group)
            if tuple(group) not in seen:
                seen.add(tuple(group))
                kept.extend(group)
    return kept


def objects(plan, bin_path, sources):
    """The objects of the third-party modules `sources` import, transitively, in link-file-list order."""
    dependencies = plan["targetDependencyMap"]
    project_modules = {path.name for path in pathlib.Path("Sources").iterdir() if path.is_dir()}
    wanted = set()
    for source in sources:
        for module in IMPORT.findall(pathlib.Path(source).read_text()):
            if module in dependencies and module not in project_modules:
                wanted.add(module)
                wanted.update(m for m in dependencies[module] if m not in project_modules)
    lists = sorted(bin_path.glob("*.product/Objects.LinkFileList"))
    if not lists:
        fail(f"no linked products under {bin_path}: run `swift build --build-tests` first")
    found, seen = [], set()
    for link_list in lists:
        for line in link_list.read_text().splitlines():
            path = line.strip().strip("'")
            module = module_of(path, bin_path)
            if module in wanted and path not in seen:
                seen.add(path)
                found.append(path)
    linked = {module_of(path, bin_path) for path in found}
    # System library and header-only modules have no objects; every other module must have some.
    missing = [m for m in wanted - linked if module_has_sources(plan, m)]
    if missing:
        fail(f"no objects for {', '.join(sorted(missing))} in {bin_path}: run `swift build --build-tests` first")
    return found


def module_of(object_path, bin_path):
    """The module an object belongs to: SwiftPM writes a module's objects under BIN_PATH/<module>.build/."""
    return pathlib.Path(object_path).relative_to(bin_path).parts[0].removesuffix(".build")


def module_has_sources(plan, module):
    return any(command["moduleName"] == module for command in plan["swiftCommands"].values())


def main(arguments):
    if len(arguments) < 3 or arguments[0] not in ("flags", "objects"):
        fail("usage: swiftpm_plan.py flags|objects BIN_PATH ARGUMENT...")
    command, bin_path, rest = arguments[0], pathlib.Path(arguments[1]).resolve(), arguments[2:]
    plan = description(bin_path)
    result = flags(plan, rest) if command == "flags" else objects(plan, bin_path, rest)
    for line in result:
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
