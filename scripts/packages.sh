# Debian packages and how to install them, for scripts/serve.sh and scripts/test.sh (sourced, not run).

# The system libraries the build links (the CMagic, SQLite and CVips targets): what `swift build` needs.
BUILD_PACKAGES=(libmagic-dev libsqlite3-dev libvips-dev)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
    printf -- '-- installing: %s\n' "$*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" </dev/null
}

is_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

# Installs those of the named packages that are missing; says so when none is.
install_missing() {
    local missing=() package
    for package in "$@"; do
        is_installed "$package" || missing+=("$package")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        printf -- '-- already installed: %s\n' "$*"
    else
        apt_install "${missing[@]}"
    fi
}
