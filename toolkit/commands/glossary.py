"""``bulletin glossary``: list, search, add, edit, remove, check, import, export, stats, suggest.

Reading commands see the layered glossary: the shipped ``glossary/policy.tsv`` (or ``$BULLETIN_GLOSSARY``)
unless ``--no-default-glossary``, then each ``--glossary FILE`` in order (later files win per term).

Writing commands (add, edit, remove, import) change ONE file: ``--file FILE`` when given, else the last
``--glossary FILE``, else ``$BULLETIN_GLOSSARY`` or the user's glossary ($XDG_DATA_HOME/bulletin/glossary.tsv,
layered over the shipped one) - always the top layer, so a change takes effect at once. The shipped
glossary is never written by default (installed, it lies inside the package).
The file is locked for the whole read-modify-write and replaced atomically; a malformed file is refused
(``file:line: message``) and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError, UsageError
from ..glossary.entry import Entry
from ..glossary.formats import FORMATS, dumps, problems_of, read_entries
from ..glossary.store import Glossary, write_target
from ..output import emit
from .glossary_options import add_glossary_options, load_glossary_from_args

_EPILOG = """\
Layers: the shipped glossary (or $BULLETIN_GLOSSARY), then each --glossary FILE; later files win per term.
Writes (add/edit/remove/import) go to --file FILE, else the last --glossary FILE, else $BULLETIN_GLOSSARY
or the user glossary $XDG_DATA_HOME/bulletin/glossary.tsv (layered over the shipped one); they are locked
and atomic. File format: UTF-8 TSV with the header
'zh<TAB>en<TAB>variants<TAB>category<TAB>note' (optional 6th column 'blocking': yes marks a name that
blocks the shorter terms inside it), variants joined with '|', sorted by zh.
Exit codes: 0 ok, 1 check findings, 2 usage, 3 unreadable file, 5 glossary error, 6 model error."""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "glossary",
        help="maintain and inspect the policy term glossary",
        description=__doc__.split("\n\n")[0],
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    p.set_defaults(func=lambda a: _usage(p))

    def action(name: str, help: str, func: Callable[[argparse.Namespace], int], *, writes: bool = False):
        ap = sub.add_parser(
            name,
            help=help,
            description=help,
            epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        add_glossary_options(ap)
        if writes:
            ap.add_argument(
                "--file",
                metavar="FILE",
                help="the glossary file to change (default: the last --glossary, else the default "
                "glossary); created when missing",
            )
        ap.set_defaults(func=func)
        return ap

    ap = action("list", "print the merged glossary as TSV", cmd_list)
    ap.add_argument("--category", help="only entries of this category")
    ap = action("search", "entries whose zh, variants or en contain TEXT", cmd_search)
    ap.add_argument("text", metavar="TEXT")
    ap = action("add", "add an entry", cmd_add, writes=True)
    ap.add_argument("zh", metavar="ZH")
    ap.add_argument("en", metavar="EN", nargs="?", default="", help="the rendering (none with --blocking)")
    _entry_fields(ap)
    ap.add_argument(
        "--blocking",
        action="store_true",
        help="a longer name that stops the shorter terms inside it from matching and forces nothing itself",
    )
    ap = action(
        "edit",
        "change an entry (an entry of a lower layer is copied into the target file)",
        cmd_edit,
        writes=True,
    )
    ap.add_argument("zh", metavar="ZH")
    ap.add_argument("--en", help="the new rendering")
    _entry_fields(ap)
    ap.add_argument("--add-variant", action="append", default=[], metavar="V", help="append a variant")
    ap.add_argument("--clear-variants", action="store_true", help="remove all variants")
    flag = ap.add_mutually_exclusive_group()
    flag.add_argument(
        "--blocking", action="store_true", help="make it a blocking entry (drops the rendering)"
    )
    flag.add_argument("--not-blocking", action="store_true", help="make it an ordinary entry (give --en)")
    ap = action("remove", "remove an entry from the target file", cmd_remove, writes=True)
    ap.add_argument("zh", metavar="ZH")
    ap = action("check", "report every problem as file:line: message (exit 1 when there is any)", cmd_check)
    ap.add_argument(
        "--model", metavar="M", help="also list renderings model M's target vocabulary cannot produce"
    )
    ap.add_argument(
        "--corpus",
        metavar="DIR",
        help="also list (as advice, not findings) the most frequent TERM + next word compounds in the "
        "bulletins under DIR (*.txt) that no longer entry covers",
    )
    ap.add_argument("--top", type=int, default=30, help="with --corpus: at most this many (default 30)")
    ap = action(
        "import",
        "merge entries from a TSV, CSV, TBX or JSON file into the target file",
        cmd_import,
        writes=True,
    )
    ap.add_argument("source", metavar="FILE", help="the file to import ('-': stdin, TSV unless --format)")
    ap.add_argument("--format", choices=FORMATS, help="format of FILE (default: from its extension)")
    ap.add_argument(
        "--on-conflict",
        choices=("keep", "replace", "fail"),
        default="keep",
        help="when FILE changes an existing entry: keep ours (default), replace it, or fail "
        "without writing anything",
    )
    ap = action(
        "export", "write the merged glossary as TSV, CSV (DeepL/Google), TBX-Basic or JSON", cmd_export
    )
    ap.add_argument("--format", choices=FORMATS, required=True)
    ap.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    ap.add_argument(
        "--csv-variants",
        action="store_true",
        help="CSV only: also write each variant as its own source,target row",
    )
    action("stats", "entry counts per file and category", cmd_stats)
    ap = action(
        "suggest",
        "candidate terms of a bulletin that the glossary does not cover (TSV to fill in)",
        cmd_suggest,
    )
    ap.add_argument("bulletin", metavar="BULLETIN")
    ap.add_argument("--top", type=int, default=100, help="at most this many candidates (default 100)")
    ap.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    return p


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help(sys.stderr)
    return 2


def _entry_fields(ap: argparse.ArgumentParser) -> None:
    ap.add_argument(
        "--variant",
        action="append",
        default=None,
        metavar="V",
        help="another Chinese form (repeatable; on edit it replaces the variants)",
    )
    ap.add_argument("--category", default=None)
    ap.add_argument("--note", default=None)


# -- reading ---------------------------------------------------------------------------------------------


def _tsv_rows(entries: list[Entry], *, keep_order: bool = False) -> str:
    if keep_order:  # suggest's rows are ranked, not sorted
        from ..glossary.formats import HEADER

        return "".join(line + "\n" for line in [HEADER, *("\t".join(e.to_row()) for e in entries)])
    return dumps(entries, "tsv")


def cmd_list(args: argparse.Namespace) -> int:
    g = load_glossary_from_args(args)
    entries = [e for e in g.entries if args.category is None or e.category == args.category]
    emit(_tsv_rows(entries), None)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from ..chinese import to_simplified

    g = load_glossary_from_args(args)
    q, ql = to_simplified(args.text), args.text.lower()
    hits = [e for e in g.entries if any(q in s or args.text in s for s in e.surfaces()) or ql in e.en.lower()]
    if not hits:
        print(f"no entry matches {args.text!r}", file=sys.stderr)
        return 0
    emit(_tsv_rows(hits), None)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from ..glossary.check import check_files, check_model, default_paths

    paths = default_paths(args.glossary, not args.no_default_glossary)
    if not paths:
        raise UsageError("no glossary to check: give --glossary FILE or drop --no-default-glossary")
    findings = check_files(paths)
    for f in findings:
        print(f)
    if args.model:
        if findings:
            print("model check skipped: fix the findings above first", file=sys.stderr)
        else:
            findings = check_model(load_glossary_from_args(args), args.model)
            for f in findings:
                print(f)
    if args.corpus:
        _print_compounds(args)
    if findings:
        print(f"{len(findings)} finding(s)", file=sys.stderr)
        return 1
    total = len(load_glossary_from_args(args))
    print(f"ok: {total} entries in {len(paths)} file(s), no findings", file=sys.stderr)
    return 0


def _print_compounds(args: argparse.Namespace) -> None:
    """``check --corpus DIR``: where a forced modifier rendering may want a longer entry."""
    from ..glossary.suggest import compounds

    root = Path(args.corpus)
    if not root.is_dir():
        raise InputError(f"{root}: not a directory of bulletins")
    files = sorted(str(p) for p in root.rglob("*.txt"))
    if not files:
        raise InputError(f"{root}: no *.txt bulletins")
    found = compounds(files, load_glossary_from_args(args), top=args.top)
    for c in found:
        path, line = c.first
        print(
            f"{path}:{line}: compound {c.term}+{c.head} ({c.count}x in {len(c.files)} file(s)) has no "
            f"longer entry: {c.en!r} is forced before {c.head}"
        )
    print(
        f"{len(found)} compound(s) without a longer entry in {len(files)} bulletin(s) (advice)",
        file=sys.stderr,
    )


def cmd_export(args: argparse.Namespace) -> int:
    g = load_glossary_from_args(args)
    emit(dumps(g.entries, args.format, variants_as_rows=args.csv_variants), args.output)
    blocking = sum(e.blocking for e in g.entries)
    if args.format == "csv" and blocking:
        print(
            f"left out {blocking} blocking entr{'y' if blocking == 1 else 'ies'}: a source,target glossary "
            "cannot say 'match nothing here'",
            file=sys.stderr,
        )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    g = load_glossary_from_args(args)
    lines = [f"{n:6d}  {p}" for p, n in g.files]
    lines.append(
        f"{len(g):6d}  entries in total ({sum(len(e.variants) for e in g.entries)} variants, "
        f"{sum(1 for e in g.entries if g.shadowed(e.zh))} overriding a lower layer)"
    )
    for cat, n in sorted(
        Counter(e.category or "(none)" for e in g.entries).items(), key=lambda x: (-x[1], x[0])
    ):
        lines.append(f"{n:6d}  category {cat}")
    emit("\n".join(lines), None)
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    from ..glossary.suggest import as_entries, bulletin_sentences, suggest

    g = load_glossary_from_args(args)
    rows = as_entries(suggest(bulletin_sentences(args.bulletin), g, top=args.top))
    emit(_tsv_rows(rows, keep_order=True).rstrip("\n"), args.output)
    print(
        f"{len(rows)} candidate(s); fill in the en column, then `bulletin glossary import FILE`",
        file=sys.stderr,
    )
    return 0


# -- writing: a thin layer over Glossary.add/edit/remove/import_entries/save -----------------------------


def target_path(args: argparse.Namespace) -> Path:
    """The one file a writing command changes (see the module docstring)."""
    if args.file:
        return Path(args.file)
    target = write_target(args.glossary, not args.no_default_glossary)
    if target is None:
        raise UsageError("no file to write: give --file FILE (or --glossary FILE)")
    return target


def _editable(args: argparse.Namespace, *, layers: bool = True) -> Glossary:
    """The glossary to change; ``layers=False`` reads only the target file (add and import need no
    lower layer: a missing or broken layer below must not stop them)."""
    if not layers:
        return Glossary.load([], default=False, target=target_path(args))
    return Glossary.load(args.glossary, default=not args.no_default_glossary, target=target_path(args))


def _blocking_flag(args: argparse.Namespace) -> bool | None:
    return True if args.blocking else False if args.not_blocking else None


def cmd_add(args: argparse.Namespace) -> int:
    if args.blocking and args.en:
        raise UsageError("a blocking entry forces no rendering: give ZH alone with --blocking")
    if not args.blocking and not args.en:
        raise UsageError("give the rendering EN (or --blocking for a name that only blocks shorter terms)")
    g = _editable(args, layers=False)
    new = Entry(
        zh=args.zh,
        en=args.en or "",
        variants=tuple(args.variant or ()),
        category=args.category or "",
        note=args.note or "",
        blocking=args.blocking,
    )
    g.add(new)
    print("\n".join(g.save()))
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    g = _editable(args)
    g.edit(
        args.zh,
        en=args.en,
        variants=args.variant,
        add_variants=args.add_variant,
        clear_variants=args.clear_variants,
        category=args.category,
        note=args.note,
        blocking=_blocking_flag(args),
    )
    print("\n".join(g.save()))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    g = _editable(args)
    g.remove(args.zh)
    print("\n".join(g.save()))
    below = g.get(args.zh)
    if below is not None:
        print(f"note: {args.zh} is still defined in {below.where}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..glossary.formats import raise_problems

    g = _editable(args, layers=False)
    incoming = read_entries(args.source, args.format, allow_empty_en=True, strict=False)
    raise_problems(problems_of(incoming))
    empty = [e for e in incoming if not e.en and not e.blocking]
    for e in empty:
        print(f"{e.where}: skipped {e.zh}: empty en (fill in the English rendering)", file=sys.stderr)
    report = g.import_entries([e for e in incoming if e.en or e.blocking], args.on_conflict)
    g.save()
    source = "<stdin>" if args.source == "-" else args.source
    print(
        f"imported {source} into {g.target}: {len(report['added'])} added, {len(report['changed'])} "
        f"changed, {len(report['unchanged'])} unchanged, {len(report['conflicting'])} skipped as "
        f"conflicting, {len(empty)} skipped with empty en"
    )
    for zh in report["conflicting"]:
        print(f"kept existing {zh} (conflicting import; use --on-conflict replace)", file=sys.stderr)
    return 0
