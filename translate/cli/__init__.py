"""Command line: a thin layer over :mod:`translate.api`.

Only this package imports click and prints. Library modules are imported inside
the commands so that ``translate --help`` starts instantly.

Exit codes: 0 success; 1 some articles or catalogs had errors (the others were
processed, each error is printed as ``file:line: message (how to fix)``);
2 the command line itself is wrong; 3 ``translate sync`` found another sync
running in the workspace; 4 the installation is broken (another package named
``translate``, such as Translate Toolkit's, was installed over this one).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from translate.cli.common import Context
from translate.cli.installation import DISTRIBUTION, EXIT_BROKEN_INSTALL, foreign_package


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name=DISTRIBUTION, prog_name="translate")
@click.option("--locales", type=click.Path(file_okay=False, path_type=Path), default=Path("locales"), show_default=True, help="Catalog tree: templates/ and <lang>/LC_MESSAGES/.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Log what is done.")
@click.pass_context
def cli(ctx: click.Context, locales: Path, quiet: bool, verbose: bool) -> None:
    """Publish English news articles in Khmer and other languages.

    \b
    Workflow:
      translate extract ARTICLE... --to km   sentences -> locales/km/LC_MESSAGES/<slug>.po
      translate mt ARTICLE... --to km        machine suggestions (fuzzy) into the catalogs
      (translators review the .po files in Poedit, Weblate or Lokalize)
      translate check --to km                numbers, links, glossary terms, loops ...
      translate publish ARTICLE... --to km   catalog -> out/<slug>.km.<ext>
      translate status                       review progress per article and language
    \b
    All at once:
      translate run ARTICLE... --to km       extract + mt + publish
      translate init; translate sync         a whole workspace (translate.toml), incremental
    \b
    Exchange:
      translate xliff export|import          catalogs as XLIFF 2.0 or 1.2 for CAT tools
      translate memory export|import         the translation memory as TMX 1.4

    Articles: plain text (.txt), Markdown with YAML front matter (.md), HTML (.html).
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(locales=locales, quiet=quiet)


def _register() -> None:
    from translate.cli import articles, check, eval, exchange, glossary, models, mt, workspace

    for command in (articles.extract, mt.mt, mt.run, articles.publish, articles.status, check.check, glossary.glossary, eval.eval_command, models.models, exchange.xliff, exchange.memory, workspace.init, workspace.sync):
        cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point: refuses to run on another project's ``translate`` package."""
    problem = foreign_package()
    if problem is not None:
        click.echo(f"error: {problem}", err=True)
        sys.exit(EXIT_BROKEN_INSTALL)
    cli(prog_name="translate")
