"""Build step: ship the maintainers' glossary ``glossary/policy.tsv`` inside the package as
``toolkit/data/policy.tsv``, copied at build time so that there is no second copy to keep in sync.

All metadata lives in pyproject.toml; this file only adds the copy to ``build_py``. An editable install
skips it: there ``toolkit.paths`` reads ``glossary/policy.tsv`` where it is.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

#: repository file -> its place in the package
SHIPPED = {"glossary/policy.tsv": "toolkit/data/policy.tsv"}


class BuildPyWithGlossary(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for src, dest in SHIPPED.items():
            target = Path(self.build_lib) / dest
            self.mkpath(str(target.parent))
            self.copy_file(src, str(target))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        shipped = [str(Path(self.build_lib) / d) for d in SHIPPED.values()]
        return super().get_outputs(include_bytecode) + shipped


setup(cmdclass={"build_py": BuildPyWithGlossary})
