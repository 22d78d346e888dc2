# shellcheck shell=bash
# Sourced by build-aux/test and build-aux/run: the Debian 12 packages needed
# to build, test and run Opportunity Manager, and a function that installs
# the missing ones (with apt), or, on another distribution, checks that
# what they provide is there and names the packages that give what is not.

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
  # the team server (SPEC 9): libpq to build, a server for the tests to
  # start of their own (initdb, pg_ctl; no system service is used)
  libpq-dev
  postgresql
  # a certificate for the test server's TLS (tests/om-test-pg.c)
  openssl
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
  # an independent reader of --export-ics (tests/check-files.py)
  python3-icalendar
  # data/ validation
  desktop-file-utils
  appstream
  flatpak-builder
  shared-mime-info
  # the locales the tests write money and dates in (OM_LOCALES)
  locales
  # what the running app draws with
  libgtk-4-bin
  librsvg2-common
  fonts-cantarell
  fonts-dejavu-core
  adwaita-icon-theme
  hicolor-icon-theme
)

# On a machine without apt (Fedora, Arch, ...) nothing is installed: what
# the build, the tests and the window need is checked, and whatever is
# missing is named with the packages that give it there. One line each:
#   cmd NAME | pc MODULE>=VERSION   Debian   Fedora   Arch
OM_REQUIREMENTS=(
  "cmd meson                  meson              meson                    meson"
  "cmd ninja                  ninja-build        ninja-build              ninja"
  "cmd pkg-config             pkg-config         pkgconf-pkg-config       pkgconf"
  "cmd cc                     gcc                gcc                      gcc"
  "cmd msgfmt                 gettext            gettext                  gettext"
  "cmd python3                python3            python3                  python"
  "pc  gtk4>=4.8              libgtk-4-dev       gtk4-devel               gtk4"
  "pc  glib-2.0>=2.74         libglib2.0-dev     glib2-devel              glib2"
  "pc  json-glib-1.0>=1.6     libjson-glib-dev   json-glib-devel          json-glib"
  "pc  sqlite3>=3.40          libsqlite3-dev     sqlite-devel             sqlite"
  "pc  libpq>=15              libpq-dev          libpq-devel              postgresql-libs"
  "cmd glib-compile-schemas   libglib2.0-bin     glib2                    glib2"
  "cmd sqlite3                sqlite3            sqlite                   sqlite"
  "cmd Xvfb                   xvfb               xorg-x11-server-Xvfb     xorg-server-xvfb"
  "cmd xvfb-run               xvfb               xorg-x11-server-Xvfb     xorg-server-xvfb"
  "cmd xauth                  xauth              xorg-x11-xauth           xorg-xauth"
  "cmd xdotool                xdotool            xdotool                  xdotool"
  "cmd dbus-run-session       dbus-daemon        dbus-daemon              dbus"
  "cmd import                 imagemagick        ImageMagick              imagemagick"
  "cmd pdftotext              poppler-utils      poppler-utils            poppler"
  "cmd desktop-file-validate  desktop-file-utils desktop-file-utils       desktop-file-utils"
  "cmd appstreamcli           appstream          appstream                appstream"
  "loc en_US                  locales            glibc-langpack-en        glibc"
  "loc de_DE                  locales            glibc-langpack-de        glibc"
  "loc fr_FR                  locales            glibc-langpack-fr        glibc"
  "loc ja_JP                  locales            glibc-langpack-ja        glibc"
)

# Prints the lines of OM_REQUIREMENTS that this machine does not meet.
om_unmet_requirements ()
{
  local line kind what

  for line in "${OM_REQUIREMENTS[@]}"; do
    read -r kind what _ <<<"$line"
    case "$kind" in
      cmd) command -v "$what" >/dev/null 2>&1 || printf '%s\n' "$line" ;;
      pc) command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "${what/>=/ >= }" 2>/dev/null ||
            printf '%s\n' "$line" ;;
      loc) om_missing_locales "$what" | grep -q . && printf '%s\n' "$line" ;;
    esac
  done
  return 0
}

# Without apt: says what is missing and which packages give it, and fails
# only then.
om_check_deps ()
{
  local -a unmet
  local line kind what debian fedora arch

  mapfile -t unmet < <(om_unmet_requirements)
  if [ "${#unmet[@]}" -eq 0 ]; then
    return 0
  fi
  {
    echo "deps.sh: no apt here, so nothing was installed; this machine lacks:"
    printf '  %-26s %-20s %-26s %s\n' "needed" "Debian" "Fedora (dnf)" "Arch (pacman)"
    for line in "${unmet[@]}"; do
      read -r kind what debian fedora arch <<<"$line"
      [ "$kind" = cmd ] && what="the command $what"
      [ "$kind" = loc ] && what="the locale $what.UTF-8"
      printf '  %-26s %-20s %-26s %s\n' "$what" "$debian" "$fedora" "$arch"
    done
    echo "Install those packages, then run this again."
  } >&2
  return 1
}

# The locales the tests use, made from the locales package's sources
OM_LOCALES=(en_US de_DE fr_FR ja_JP)

# om_missing_locales [LOCALE...]: those of OM_LOCALES (or of the
# arguments) that this machine lacks
om_missing_locales ()
{
  local have loc
  local -a wanted=("$@")

  [ "${#wanted[@]}" -gt 0 ] || wanted=("${OM_LOCALES[@]}")
  have="$(locale -a 2>/dev/null | tr '[:upper:]' '[:lower:]')"
  for loc in "${wanted[@]}"; do
    printf '%s\n' "$have" | grep -qx "$(printf '%s' "$loc" | tr '[:upper:]' '[:lower:]').utf8" ||
      printf '%s\n' "$loc"
  done
}

# Makes the missing ones (as root, or through sudo); the tests that
# need one say so if it could not be made
om_generate_locales ()
{
  local -a missing sudo=()
  local loc

  mapfile -t missing < <(om_missing_locales)
  [ "${#missing[@]}" -gt 0 ] || return 0
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  fi
  for loc in "${missing[@]}"; do
    echo "deps.sh: making the locale $loc.UTF-8" >&2
    "${sudo[@]}" localedef -i "$loc" -f UTF-8 "$loc.UTF-8" >&2 ||
      echo "deps.sh: could not make the locale $loc.UTF-8; the tests of amounts in it will fail" >&2
  done
  return 0
}

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

  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    om_check_deps
    return
  fi

  mapfile -t missing < <(om_missing_packages)
  if [ "${#missing[@]}" -eq 0 ]; then
    om_generate_locales
    return
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
    apt-get install -y --no-install-recommends "${missing[@]}" >&2 &&
    om_generate_locales
}
