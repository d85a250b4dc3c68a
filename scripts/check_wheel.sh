#!/usr/bin/env bash
# The package as a user gets it: build the sdist and the wheel from it, install the wheel into a fresh
# virtual environment, run the commands from a folder outside the checkout with a bare $HOME, and check
# that nothing was written inside site-packages. Run by .ci/run after the test suite.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say() { echo "check_wheel: $*" >&2; }
fail() { echo "check_wheel: FAILED: $*" >&2; exit 1; }

say "building sdist and wheel"
"$root/.venv/bin/python" -m build --sdist --wheel --outdir "$work/dist" "$root" >"$work/build.log" 2>&1 \
    || { tail -20 "$work/build.log" >&2; fail "build"; }
wheel="$(ls "$work"/dist/*.whl)"
for f in toolkit/data/policy.tsv toolkit/data/tiny_corpus/zh.txt toolkit/data/tiny_corpus/en.txt; do
    "$py" -c "import sys, zipfile; sys.exit(0 if '$f' in zipfile.ZipFile('$wheel').namelist() else 1)" \
        || fail "$f is not in $(basename "$wheel")"
done
cmp <(unzip -p "$wheel" toolkit/data/policy.tsv) "$root/glossary/policy.tsv" \
    || fail "the wheel's policy.tsv differs from glossary/policy.tsv"

say "installing $(basename "$wheel") into a fresh venv"
"$py" -m venv "$work/venv"
pip=("$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" "torch==2.13.0" >"$work/pip.log" 2>&1 || { tail -20 "$work/pip.log" >&2; fail "pip install torch"; }
"${pip[@]}" "$wheel" >>"$work/pip.log" 2>&1 || { tail -20 "$work/pip.log" >&2; fail "pip install the wheel"; }
bin="$work/venv/bin"
site="$("$bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
snapshot() { find "$site" -path '*/__pycache__' -prune -o -print0 | sort -z | xargs -0 stat -c '%n %s %Y' ; }
snapshot >"$work/site.before"

# a user's shell: a folder outside the checkout, an empty home, none of our variables
mkdir -p "$work/user" "$work/home"
cd "$work/user"
export HOME="$work/home"
unset XDG_DATA_HOME XDG_CACHE_HOME BULLETIN_MODELS BULLETIN_GLOSSARY PYTHONPATH VIRTUAL_ENV
cp "$root/examples/sichuan-poverty-2020-93.txt" bulletin.txt
run() { say "\$ $*"; "$@" || fail "$* (exit $?)"; }

where="$("$bin/python" -c 'import toolkit; print(toolkit.__file__)')"
[[ "$where" == "$site"/* ]] || fail "toolkit imported from $where, not from the fresh venv"
run "$bin/bulletin" --version
run "$bin/bulletin" parse bulletin.txt --format json -o parsed.json
grep -q '"glossary"' parsed.json || fail "parse found no glossary matches"
run "$bin/bulletin" glossary stats >stats.txt
grep -q "$site/toolkit/data/policy.tsv" stats.txt || fail "glossary stats does not read the shipped glossary"
run "$bin/bulletin" glossary add 测试术语 "test term"
user_gl="$HOME/.local/share/bulletin/glossary.tsv"
grep -q "测试术语" "$user_gl" || fail "glossary add did not write the user glossary $user_gl"
run "$bin/bulletin" glossary stats >stats.txt
grep -q "$user_gl" stats.txt || fail "the user glossary is not layered over the shipped one"
run "$bin/bulletin" model list >models.txt
grep -q "$HOME/.cache/bulletin/models" models.txt || fail "the models folder is not the XDG cache"
run "$bin/bulletin" model tiny tiny-model
run "$bin/bulletin" translate bulletin.txt --model tiny-model --quiet -o bulletin.en.md
[ -s bulletin.en.md ] || fail "translate wrote nothing"
run "$bin/python" - <<'PY'
from toolkit import Translator, qa_summary_line

doc = Translator.load("tiny-model", beams=2).translate_text("四川省脱贫攻坚领导小组召开会议。")
qa = doc.meta["qa"]
assert qa["sentences"] == 1 and qa["satisfied"] == qa["constraints"] > 0, qa
print(qa_summary_line(qa))
PY

snapshot >"$work/site.after"
if ! diff "$work/site.before" "$work/site.after" >"$work/site.diff"; then
    cat "$work/site.diff" >&2
    fail "something was written inside site-packages"
fi
say "ok: the installed wheel works from outside the checkout and wrote nothing inside site-packages"
