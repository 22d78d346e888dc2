#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads the exports of --export-ics and --export-csv as independent
implementations do, for tests/test-calendar.c.

  check-files.py ics FILE   a strict line-level check of RFC 5545, then
                            Debian's python3-icalendar; prints the events
                            as JSON
  check-files.py csv FILE   Python's csv module; prints the rows as JSON

Any breach is printed on standard error and the exit status is 1. A
missing icalendar module is a failure, never a skip."""

import csv
import json
import re
import sys

import icalendar  # python3-icalendar (build-aux/deps.sh); never optional

TEXT_PROPERTIES = {"UID", "SUMMARY", "DESCRIPTION"}
# RFC 5545 3.3.11: what may follow a backslash in TEXT
TEXT_ESCAPE = re.compile(r"\\(.)", re.S)


def fail(message):
    print("check-files: " + message, file=sys.stderr)
    sys.exit(1)


def check_text(name, value):
    """TEXT escaping: no bare comma or semicolon, only known escapes"""
    rest = TEXT_ESCAPE.sub(lambda m: "" if m.group(1) in "\\;,nN" else "\0", value)
    if "\0" in rest or rest.endswith("\\"):
        fail(f"{name}: an unknown escape in {value!r}")
    if "," in rest or ";" in rest:
        fail(f"{name}: an unescaped comma or semicolon in {value!r}")


def check_ics_lines(data):
    if not data.endswith(b"\r\n"):
        fail("the file does not end with CRLF")
    physical = data[:-2].split(b"\r\n")
    logical = []
    for number, line in enumerate(physical, 1):
        if b"\r" in line or b"\n" in line:
            fail(f"line {number}: a bare CR or LF")
        if len(line) > 75:
            fail(f"line {number}: {len(line)} octets, more than 75")
        try:
            text = line.decode("utf-8")   # folded on a character boundary
        except UnicodeDecodeError:
            fail(f"line {number}: not UTF-8 on its own (folded inside a character?)")
        if any((ord(c) < 0x20 and c != "\t") or ord(c) == 0x7F for c in text):
            fail(f"line {number}: a control character")
        if text.startswith(" "):
            if not logical:
                fail("the first line is a continuation")
            logical[-1] += text[1:]
        elif text.startswith("\t"):
            fail(f"line {number}: folded with a tab (this writer folds with a space)")
        else:
            logical.append(text)

    if logical[:1] != ["BEGIN:VCALENDAR"] or logical[-1:] != ["END:VCALENDAR"]:
        fail("not one VCALENDAR")
    for required in ("VERSION:2.0", "CALSCALE:GREGORIAN"):
        if required not in logical:
            fail(f"no {required}")
    if not any(line.startswith("PRODID:") for line in logical):
        fail("no PRODID")

    event = None
    for line in logical:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            event = {}
            continue
        if line == "END:VEVENT":
            for required in ("UID", "DTSTAMP", "DTSTART;VALUE=DATE", "SUMMARY", "STATUS"):
                if required not in event:
                    fail(f"an event without {required}")
            if not re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"]):
                fail(f"DTSTAMP not in UTC: {event['DTSTAMP']}")
            for key in ("DTSTART;VALUE=DATE", "DTEND;VALUE=DATE"):
                if key in event and not re.fullmatch(r"\d{8}", event[key]):
                    fail(f"{key} is not a date: {event[key]}")
            event = None
            continue
        if event is not None:
            if name in event:
                fail(f"{name} twice in an event")
            event[name] = value
            if name in TEXT_PROPERTIES:
                check_text(name, value)


def read_ics(path):
    with open(path, "rb") as f:
        data = f.read()
    check_ics_lines(data)
    calendar = icalendar.Calendar.from_ical(data)
    events = []
    for component in calendar.walk("VEVENT"):
        end = component.get("DTEND")
        events.append({
            "uid": str(component.get("UID")),
            "dtstamp": component.decoded("DTSTAMP").isoformat(),
            "dtstart": component.decoded("DTSTART").isoformat(),
            "dtend": end.dt.isoformat() if end is not None else None,
            "summary": str(component.get("SUMMARY")),
            "description": str(component.get("DESCRIPTION")),
            "status": str(component.get("STATUS")),
            "sequence": int(component.get("SEQUENCE", -1)),
        })
    return {"prodid": str(calendar.get("PRODID")), "events": events}


def read_csv(path):
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        fail("a byte order mark")
    if not data.endswith(b"\r\n"):
        fail("the file does not end with CRLF")
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f, strict=True))


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("ics", "csv"):
        fail("usage: check-files.py ics|csv FILE")
    result = read_ics(sys.argv[2]) if sys.argv[1] == "ics" else read_csv(sys.argv[2])
    json.dump(result, sys.stdout, ensure_ascii=True)


main()
