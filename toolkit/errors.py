"""Errors that end a command with one line on stderr and a documented exit code.

Exit codes (also in the README):
  0  success
  1  findings: QA violations under --strict, `glossary check` findings
  2  usage error (bad flags or arguments)
  3  input cannot be read: missing path, a directory, permission denied
  4  input is not a usable bulletin: empty, binary, undecodable, no Chinese text, too large
  5  glossary error: malformed row, conflicting import, bad glossary file
  6  model error: model missing (with the command to fetch it), failed load, offline
  7  output cannot be written
  8  a batch finished, but some of its documents failed (each named on stderr and in the manifest)
"""

from __future__ import annotations


class BulletinError(Exception):
    """Base class: message is the single line printed on stderr."""

    exit_code = 1


class FindingsError(BulletinError):
    exit_code = 1


class UsageError(BulletinError):
    exit_code = 2


class InputError(BulletinError):
    exit_code = 3


class BadInputError(BulletinError):
    exit_code = 4


class GlossaryError(BulletinError):
    exit_code = 5


class ModelError(BulletinError):
    exit_code = 6


class OutputError(BulletinError):
    exit_code = 7
