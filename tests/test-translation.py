#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The translations are complete, and the German build speaks German.

  test-translation.py catalog SRCDIR
      POTFILES.in names every file with translatable strings (and no file
      that is gone); every message xgettext finds in them is translated in
      each po/LANG.po of po/LINGUAS, none fuzzy; msgfmt --check accepts it.

  test-translation.py german SRCDIR
      The built program ($OPPMANAGER, catalogues from $OPPMANAGER_LOCALEDIR)
      under LANGUAGE=de LANG=de_DE.UTF-8: --help is German, and a client
      summary (--summary-pdf, read back with pdftotext) of a German plan
      holds no English word of the summary's fixed strings.

Writes TAP. A missing tool or locale is a failure, never a skip: they are
installed by build-aux/deps.sh."""

import os
import re
import shutil
import subprocess
import sys
import tempfile

# i18n.gettext(preset: 'glib') in po/meson.build: the same keywords, so
# that this sees the messages the POT has
XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments", "-k_",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
]

# a call that marks a string for translation, in C
C_MARK = re.compile(r"(?<![\w])(?:_|N_|C_|NC_|Q_|ngettext|g_dgettext|g_dngettext|g_dcgettext|g_dpgettext2)\s*\(")
C_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, name, details=()):
        self.n += 1
        print(("ok %d - %s" if ok else "not ok %d - %s") % (self.n, name))
        if not ok:
            self.failed += 1
            for line in details:
                print("# " + line)
        return ok

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def need(program):
    path = shutil.which(program)
    if path is None:
        print("Bail out! %s is missing: run build-aux/deps.sh" % program)
        sys.exit(1)
    return path


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def translatable_files(srcdir):
    """The files that carry translatable strings, relative to SRCDIR"""
    found = []
    for top in ("src", "data"):
        for root, dirs, files in os.walk(os.path.join(srcdir, top)):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, srcdir)
                if name.endswith(".c"):
                    marked = C_MARK.search(C_COMMENT.sub("", read(path)))
                elif name.endswith(".ui"):
                    marked = 'translatable="yes"' in read(path)
                elif name.endswith((".desktop.in", ".metainfo.xml.in", ".mime.xml.in")):
                    marked = True
                elif name.endswith(".gschema.xml"):
                    marked = re.search(r"<(summary|description)>", read(path))
                else:
                    marked = False
                if marked:
                    found.append(rel)
    return found


def potfiles(srcdir):
    names = []
    for line in read(os.path.join(srcdir, "po", "POTFILES.in")).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.append(line)
    return names


def linguas(srcdir):
    langs = []
    for line in read(os.path.join(srcdir, "po", "LINGUAS")).splitlines():
        line = line.split("#", 1)[0]
        langs.extend(line.split())
    return langs


def unquote(text):
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def po_entries(path):
    """(msgctxt, msgid, [msgstr...], fuzzy) of each live entry of a PO file"""
    entries = []
    for block in re.split(r"\n\s*\n", read(path)):
        lines = [l for l in block.splitlines() if not l.startswith("#~")]
        fields = {}
        key = None
        fuzzy = any(l.startswith("#,") and "fuzzy" in l for l in lines)
        for line in lines:
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
            if m:
                key = m.group(1)
                fields[key] = unquote(m.group(2))
            elif line.startswith('"') and key is not None:
                fields[key] += unquote(line[1:-1])
        if "msgid" not in fields:
            continue
        strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        entries.append((fields.get("msgctxt"), fields["msgid"], strs, fuzzy))
    return entries


def test_catalog(srcdir):
    tap = Tap()
    need("xgettext")
    need("msgfmt")

    listed = potfiles(srcdir)
    gone = [f for f in listed if not os.path.exists(os.path.join(srcdir, f))]
    tap.check(not gone, "every file POTFILES.in names exists", ["gone: " + f for f in gone])
    missing = [f for f in translatable_files(srcdir) if f not in listed]
    tap.check(not missing, "POTFILES.in names every file with translatable strings",
              ["not in po/POTFILES.in: " + f for f in missing])

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "messages.pot")
        files = os.path.join(tmp, "POTFILES")
        with open(files, "w", encoding="utf-8") as f:
            f.write("\n".join(listed) + "\n")
        run = subprocess.run(["xgettext", "--package-name=oppmanager", "-f", files, "-D", srcdir,
                              "-o", pot] + XGETTEXT_ARGS, capture_output=True, text=True)
        if not tap.check(run.returncode == 0, "xgettext reads every file of POTFILES.in",
                         run.stderr.splitlines()):
            return tap.done()
        wanted = [(c, i) for c, i, _, _ in po_entries(pot) if i != ""]
        tap.check(len(wanted) > 100, "the POT has the application's messages (%d)" % len(wanted))

        langs = linguas(srcdir)
        tap.check("de" in langs, "po/LINGUAS lists de")
        for lang in langs:
            po = os.path.join(srcdir, "po", lang + ".po")
            if not tap.check(os.path.exists(po), "po/%s.po exists" % lang):
                continue
            run = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, po],
                                 capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
            stats = (run.stdout + run.stderr).strip()
            tap.check(run.returncode == 0, "msgfmt --check accepts po/%s.po" % lang, stats.splitlines())
            tap.check("untranslated" not in stats and "fuzzy" not in stats,
                      "po/%s.po: no untranslated or fuzzy message (%s)" % (lang, stats), [stats])

            entries = {(c, i): (s, fz) for c, i, s, fz in po_entries(po)}
            header = entries.get((None, ""), ([""], False))[0][0]
            tap.check("Plural-Forms: nplurals=2; plural=(n != 1);" in header if lang == "de" else True,
                      "po/%s.po has the language's plural forms" % lang, [header])
            untranslated = [i for key in wanted for i in [key[1]]
                            if key not in entries or entries[key][1] or not all(entries[key][0])]
            tap.check(not untranslated,
                      "po/%s.po translates every message of the POT, none fuzzy" % lang,
                      ["untranslated or fuzzy (build-aux/update-po): %r" % i for i in untranslated[:40]])
    return tap.done()


# A German plan: no word of its own is an English word of the summary
GERMAN_PLAN = """{
  "format": "oppmanager/2",
  "opportunities": [{
    "title": "Erneuerung der Fahrzeugflotte",
    "client": "Stadtwerke Musterstadt",
    "coordinator": "Petra Schulz",
    "value": "2450000.00",
    "currency": "EUR",
    "start_date": "2026-10-05",
    "target_date": "2027-03-15",
    "stages": [
      {"activity": "Erstgespräch", "milestone": "Kunde will die Erneuerung mit uns prüfen",
       "owner": "Jan Becker", "client_owner": "Frau Roth", "duration_days": 7,
       "probability": 0.9, "kind": "standard", "status": "won", "decided_on": "2026-10-09",
       "client_description": "Wir lernen Ihren Fuhrpark kennen."},
      {"activity": "Prozessgespräch", "milestone": "Kunde stimmt dem Vorgehen zu",
       "owner": "Jan Becker", "client_owner": "Frau Roth", "duration_days": 14,
       "probability": 0.8, "kind": "process-agreement", "status": "pending",
       "client_description": "Wir vereinbaren gemeinsam die Schritte, Beteiligte und Termine."},
      {"activity": "Machbarkeitsstudie", "milestone": "Kunde nimmt die Empfehlung an",
       "owner": "Studienteam", "client_owner": "Herr Wolf", "duration_days": 30,
       "probability": 0.7, "kind": "feasibility-study", "status": "pending",
       "client_description": "Eine kurze Studie vergleicht die Möglichkeiten."},
      {"activity": "Angebot", "milestone": "Kunde nimmt das Angebot an",
       "owner": "Jan Becker", "client_owner": "Herr Wolf", "duration_days": 21,
       "probability": 0.6, "kind": "standard", "status": "pending",
       "client_description": "Wir legen ein verbindliches Angebot vor."}
    ]
  }]
}
"""

# English month abbreviations that German spells differently
ENGLISH_MONTHS = {"Mar", "May", "Oct", "Dec"}


def words(text):
    return set(re.findall(r"[A-Za-zÄÖÜäöüß]{3,}", text))


def summary_fixed_strings(srcdir, po):
    """(English, German) of every message the summary prints itself"""
    pairs = []
    sources = ("src/render/om-summary.c", "src/render/om-page.c")
    for block in re.split(r"\n\s*\n", read(po)):
        refs = " ".join(l for l in block.splitlines() if l.startswith("#:"))
        if not any(s + ":" in refs for s in sources):
            continue
        entry = po_entries_from_text(block)
        if entry:
            pairs.append(entry)
    return pairs


def po_entries_from_text(block):
    with tempfile.NamedTemporaryFile("w", suffix=".po", delete=False, encoding="utf-8") as f:
        f.write(block + "\n")
    try:
        entries = po_entries(f.name)
    finally:
        os.unlink(f.name)
    if not entries:
        return None
    _, msgid, strs, _ = entries[0]
    return msgid, " ".join(strs)


def test_german(srcdir):
    tap = Tap()
    oppmanager = os.environ.get("OPPMANAGER")
    if not oppmanager or not os.path.exists(oppmanager):
        print("Bail out! OPPMANAGER does not name the built program")
        return 1
    need("pdftotext")
    locales = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower().split()
    if not tap.check("de_de.utf8" in locales, "the de_DE.UTF-8 locale is installed (build-aux/deps.sh)"):
        return tap.done()

    po = os.path.join(srcdir, "po", "de.po")
    german = {i: " ".join(s) for _, i, s, _ in po_entries(po)}

    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "config")
        os.makedirs(os.path.join(config, "glib-2.0", "settings"))
        with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w", encoding="utf-8") as f:
            f.write("[com/example/OppManager]\n"
                    "company-name='Muster Vertriebs GmbH'\n"
                    "contact-name='Petra Schulz'\n"
                    "contact-phone='+49 30 1234567'\n"
                    "contact-email='petra.schulz@example.de'\n")
        base = dict(os.environ, GSETTINGS_BACKEND="keyfile", XDG_CONFIG_HOME=config,
                    HOME=tmp, OM_TODAY="2026-12-02")
        base.pop("LC_MESSAGES", None)
        de = dict(base, LANGUAGE="de", LANG="de_DE.UTF-8", LC_ALL="de_DE.UTF-8")
        en = dict(base, LANGUAGE="", LANG="C.UTF-8", LC_ALL="C.UTF-8")
        db = "--database=" + os.path.join(tmp, "plan.db")

        def run(argv, env):
            return subprocess.run([oppmanager] + argv, capture_output=True, text=True, env=env)

        help_en = run(["--help"], en).stdout
        help_de = run(["--help"], de).stdout
        # the messages of --help: those of de.po that the English help
        # shows whole, as a line or as the description of an option
        segments = {re.split(r"\s{2,}", line.strip())[-1] for line in help_en.splitlines()}
        shown = [i for i in german if len(i.split()) >= 3 and i in segments]
        tap.check(len(shown) >= 10, "the English --help shows the application's messages (%d)" % len(shown))
        english_left = [i for i in shown if i in help_de]
        tap.check(not english_left, "--help under LANGUAGE=de has none of them in English",
                  ["still English: " + i for i in english_left])
        german_missing = [german[i] for i in shown if german[i] not in help_de]
        tap.check(not german_missing, "--help under LANGUAGE=de shows their German translations",
                  ["missing: " + t for t in german_missing] + help_de.splitlines()[:20])

        plan = os.path.join(tmp, "plan.json")
        with open(plan, "w", encoding="utf-8") as f:
            f.write(GERMAN_PLAN)
        imported = run([db, "--import=" + plan], de)
        if not tap.check(imported.returncode == 0, "the German plan is imported", imported.stderr.splitlines()):
            return tap.done()
        ident = imported.stdout.split()[0]
        pdf = os.path.join(tmp, "summary.pdf")
        made = run([db, "--opportunity=" + ident, "--summary-pdf=" + pdf], de)
        if not tap.check(made.returncode == 0, "--summary-pdf writes the German summary", made.stderr.splitlines()):
            return tap.done()
        text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout

        fixed = summary_fixed_strings(srcdir, po)
        tap.check(len(fixed) >= 30, "the summary's fixed strings are found in de.po (%d)" % len(fixed))
        # English words of the summary's own text, but not those German
        # writes the same (Name, Plan, ...) or that the plan itself uses
        shared = words(" ".join(t for _, t in fixed)) | words(GERMAN_PLAN) | {"Manager", "Opportunity"}
        english = set()
        for msgid, _ in fixed:
            english |= words(re.sub(r"%[-'0-9.]*[a-zA-Z]", " ", msgid))
        english = (english - shared) | ENGLISH_MONTHS
        found = sorted(w for w in english if re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(w), text))
        tap.check(len(english) >= 40, "a list of English words to look for (%d)" % len(english))
        tap.check(not found, "the German summary has no English word of the summary's strings",
                  ["English in the PDF: " + ", ".join(found)] + text.splitlines()[:30])

        expected = ["How we will work together", "The steps", "Agreement to the process",
                    "Prepared for %s", "Your deadline: %s", "Prepared by %s", "Phone: %s",
                    "Page %u of %u", "Your deadline", "Signature"]
        absent = []
        for msgid in expected:
            for part in re.split(r"%[-'0-9.]*[a-zA-Z]", german[msgid]):
                if part.strip() and part.strip() not in text:
                    absent.append("%s → %s" % (msgid, german[msgid]))
        tap.check(not absent, "the German summary has the German headings, sender and footer", absent)
        tap.check(re.search(r"\b2\. Dez 2026\b", text) is not None, "the summary's date is German (2. Dez 2026)",
                  text.splitlines()[:10])
    return tap.done()


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("catalog", "german"):
        print(__doc__, file=sys.stderr)
        return 2
    srcdir = os.path.abspath(sys.argv[2])
    return test_catalog(srcdir) if sys.argv[1] == "catalog" else test_german(srcdir)


if __name__ == "__main__":
    sys.exit(main())
