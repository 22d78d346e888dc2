# shellcheck shell=bash
# Sourced by build-aux/test and build-aux/run: the Debian 12 packages needed
# to build, test and run Opportunity Manager, and a function that installs
# the missing ones.

OM_PACKAGES=(
  # build
  meson
  ninja-build
  pkg-config
  gcc
  libc6-dev
  gettext
  python3
  libgtk-4-dev
  libglib2.0-dev
  libglib2.0-bin
  libjson-glib-dev
  libsqlite3-dev
  sqlite3
  # headless GTK tests
  xvfb
  xauth
  xdotool
  dbus-x11
  dbus-daemon
  at-spi2-core
  libgl1-mesa-dri
  imagemagick
  poppler-utils
  # data/ validation
  desktop-file-utils
  appstream
  # what the running app draws with
  libgtk-4-bin
  librsvg2-common
  fonts-cantarell
  fonts-dejavu-core
  adwaita-icon-theme
  hicolor-icon-theme
)

om_missing_packages ()
{
  local pkg

  for pkg in "${OM_PACKAGES[@]}"; do
    # One line per installed architecture, hence the grep.
    if ! dpkg-query -W -f='${db:Status-Status}\n' "$pkg" 2>/dev/null | grep -qx installed; then
      printf '%s\n' "$pkg"
    fi
  done
}

# Installs whatever is missing. Progress goes to standard error so that
# standard output stays free for the program being run.
om_install_deps ()
{
  local -a missing
  local -a sudo=()

  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps.sh: dpkg-query not found; install these packages by hand: ${OM_PACKAGES[*]}" >&2
    return 1
  fi

  mapfile -t missing < <(om_missing_packages)
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi

  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "deps.sh: missing packages and not root: ${missing[*]}" >&2
      return 1
    fi
  fi

  echo "deps.sh: installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}" >&2
}
