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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import GlossaryError, UsageError
from ..glossary.entry import Entry, validate
from ..glossary.formats import FORMATS, detect_format, dumps, problems_of, read_entries, write_entries
from ..glossary.options import add_glossary_options, load_glossary_from_args
from ..glossary.store import Glossary, default_glossary_path, default_glossary_paths
from ..output import emit
from ..paths import refuse_package_write

LOCK_TIMEOUT_S = 30.0

_EPILOG = """\
Layers: the shipped glossary (or $BULLETIN_GLOSSARY), then each --glossary FILE; later files win per term.
Writes (add/edit/remove/import) go to --file FILE, else the last --glossary FILE, else $BULLETIN_GLOSSARY
or the user glossary $XDG_DATA_HOME/bulletin/glossary.tsv (layered over the shipped one); they are locked
and atomic. File format: UTF-8 TSV with the header
'zh<TAB>en<TAB>variants<TAB>category<TAB>note', variants joined with '|', sorted by zh.
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
    ap.add_argument("en", metavar="EN")
    _entry_fields(ap)
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
    ap = action("remove", "remove an entry from the target file", cmd_remove, writes=True)
    ap.add_argument("zh", metavar="ZH")
    ap = action("check", "report every problem as file:line: message (exit 1 when there is any)", cmd_check)
    ap.add_argument(
        "--model", metavar="M", help="also list renderings model M's target vocabulary cannot produce"
    )
    ap = action(
        "import",
        "merge entries from a TSV, CSV, TBX or JSON file into the target file",
        cmd_import,
        writes=True,
    )
    ap.add_argument("source", metavar="FILE")
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


def _tsv_rows(entries: list[Entry]) -> str:
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
    if findings:
        print(f"{len(findings)} finding(s)", file=sys.stderr)
        return 1
    total = len(load_glossary_from_args(args))
    print(f"ok: {total} entries in {len(paths)} file(s), no findings", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    g = load_glossary_from_args(args)
    emit(dumps(g.entries, args.format, variants_as_rows=args.csv_variants), args.output)
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
    from ..glossary.entry import COLUMNS
    from ..glossary.suggest import as_entries, bulletin_sentences, suggest

    g = load_glossary_from_args(args)
    rows = as_entries(suggest(bulletin_sentences(args.bulletin), g, top=args.top))
    emit("\n".join(["\t".join(COLUMNS), *("\t".join(e.to_row()) for e in rows)]), args.output)
    print(
        f"{len(rows)} candidate(s); fill in the en column, then `bulletin glossary import FILE`",
        file=sys.stderr,
    )
    return 0


# -- writing ---------------------------------------------------------------------------------------------


def target_path(args: argparse.Namespace) -> Path:
    """The one file a writing command changes (see the module docstring)."""
    if args.file:
        return Path(args.file)
    if args.glossary:
        return Path(args.glossary[-1])
    if args.no_default_glossary:
        raise UsageError("no file to write: give --file FILE (or --glossary FILE)")
    return default_glossary_path()


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (``.NAME.lock`` beside it) for a read-modify-write."""
    from filelock import FileLock, Timeout

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(path.parent / f".{path.name}.lock"), timeout=LOCK_TIMEOUT_S)
        lock.acquire()
    except Timeout:
        raise GlossaryError(f"{path}: locked by another process for over {LOCK_TIMEOUT_S:.0f}s") from None
    except OSError as e:
        raise GlossaryError(f"{path}: cannot lock: {e.strerror or e}") from None
    try:
        yield
    finally:
        lock.release()


def modify(path: Path, change: Callable[[dict[str, Entry]], str]) -> str:
    """Lock ``path``, read it strictly, apply ``change`` to its entries by zh, write it atomically."""
    fmt = detect_format(path)
    if fmt == "csv":
        raise GlossaryError(
            f"{path}: will not write a CSV glossary (it cannot hold variants, category and "
            "note); use a .tsv file"
        )
    refuse_package_write(path)  # not even a lock file inside the installed package
    with locked(path):
        entries = read_entries(path) if path.exists() else []
        by_zh = {e.zh: e for e in entries}
        message = change(by_zh)
        write_entries(path, list(by_zh.values()), fmt)
    return message


def _check_new(entry: Entry, by_zh: dict[str, Entry], path: Path) -> None:
    problems = validate(entry)
    if problems:
        raise GlossaryError(f"{entry.zh}: {problems[0]}")
    for other in by_zh.values():
        if other.zh == entry.zh:
            continue
        clash = set(entry.surfaces()) & set(other.surfaces())
        if clash:
            raise GlossaryError(
                f"{entry.zh}: {sorted(clash)[0]} is already a term or variant of {other.zh} "
                f"({path}:{other.line})"
            )


def _lower(args: argparse.Namespace, target: Path) -> Glossary:
    """The layers below the target file (the ones it overrides)."""
    defaults = [] if args.no_default_glossary else default_glossary_paths()
    layers = [f for f in [*defaults, *args.glossary] if Path(f).resolve() != target.resolve()]
    return Glossary.load(layers, default=False)


def cmd_add(args: argparse.Namespace) -> int:
    path = target_path(args)
    new = Entry(
        zh=args.zh,
        en=args.en,
        variants=tuple(args.variant or ()),
        category=args.category or "",
        note=args.note or "",
        source=str(path),
    )

    def change(by_zh: dict[str, Entry]) -> str:
        if args.zh in by_zh:
            raise GlossaryError(
                f"{args.zh} is already in {path}:{by_zh[args.zh].line} (use `bulletin glossary edit`)"
            )
        _check_new(new, by_zh, path)
        by_zh[args.zh] = new
        return f"added {args.zh} -> {args.en} to {path}"

    print(modify(path, change))
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    path = target_path(args)
    below = _lower(args, path)

    def change(by_zh: dict[str, Entry]) -> str:
        old = by_zh.get(args.zh) or below.get(args.zh)
        if old is None:
            raise GlossaryError(f"{args.zh} is not in the glossary (use `bulletin glossary add`)")
        variants = () if args.clear_variants else old.variants
        if args.variant is not None:
            variants = tuple(args.variant)
        variants += tuple(v for v in args.add_variant if v not in variants)
        new = Entry(
            zh=old.zh,
            en=args.en if args.en is not None else old.en,
            variants=variants,
            category=args.category if args.category is not None else old.category,
            note=args.note if args.note is not None else old.note,
            source=str(path),
        )
        _check_new(new, by_zh, path)
        copied = args.zh not in by_zh
        by_zh[args.zh] = new
        return f"{'copied ' + old.where + ' and ' if copied else ''}changed {args.zh} in {path}"

    print(modify(path, change))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    path = target_path(args)

    def change(by_zh: dict[str, Entry]) -> str:
        if args.zh not in by_zh:
            raise GlossaryError(f"{args.zh} is not in {path}")
        del by_zh[args.zh]
        return f"removed {args.zh} from {path}"

    print(modify(path, change))
    below = _lower(args, path).get(args.zh)
    if below is not None:
        print(f"note: {args.zh} is still defined in {below.where}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    path = target_path(args)
    incoming = read_entries(args.source, args.format, allow_empty_en=True, strict=False)
    problems = problems_of(incoming)
    if problems:
        from ..glossary.formats import raise_problems

        raise_problems(problems)
    empty = [e for e in incoming if not e.en]
    for e in empty:
        print(f"{e.where}: skipped {e.zh}: empty en (fill in the English rendering)", file=sys.stderr)
    rows = [e for e in incoming if e.en]
    report: dict[str, list[str]] = {"added": [], "changed": [], "unchanged": [], "conflicting": []}

    def change(by_zh: dict[str, Entry]) -> str:
        for e in rows:
            e.source = str(path)
            old = by_zh.get(e.zh)
            if old is None:
                _check_new(e, by_zh, path)
                by_zh[e.zh] = e
                report["added"].append(e.zh)
            elif old.same_content(e):
                report["unchanged"].append(e.zh)
            elif args.on_conflict == "replace":
                _check_new(e, by_zh, path)
                by_zh[e.zh] = e
                report["changed"].append(e.zh)
            elif args.on_conflict == "fail":
                raise GlossaryError(
                    f"{e.where}: {e.zh} conflicts with {path}:{old.line} ({old.en!r} vs {e.en!r}); "
                    "nothing imported (use --on-conflict keep or replace)"
                )
            else:
                report["conflicting"].append(e.zh)
        return (
            f"imported {args.source} into {path}: {len(report['added'])} added, {len(report['changed'])} "
            f"changed, {len(report['unchanged'])} unchanged, {len(report['conflicting'])} skipped as "
            f"conflicting, {len(empty)} skipped with empty en"
        )

    print(modify(path, change))
    for zh in report["conflicting"]:
        print(f"kept existing {zh} (conflicting import; use --on-conflict replace)", file=sys.stderr)
    return 0
