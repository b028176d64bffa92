"""The short table printed at the end of a run (from report.json, no text)."""

from __future__ import annotations

from domainkit.evaluation.report import format_cell
from domainkit.runner.pipeline import RunContext

_COLOURED_MARKS = {True: "[green]pass[/green]", False: "[bold red]FAIL[/bold red]", None: "skip"}
COLUMNS = ("accuracy", "macro_f1", "micro_f1", "ece", "seq_per_s", "disk_mb")


def print_summary(ctx: RunContext) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=False)
    evaluation = ctx.outputs.get("evaluate")
    if not evaluation:
        console.print(f"run folder: {ctx.folder.root}")
        return
    task = ctx.outputs.get("data", {}).get("task", ctx.task)  # "own-documents" for --data runs
    table = Table("model", *COLUMNS, title=f"{ctx.pack.name} / {task}")
    for name, entry in evaluation["models"].items():
        if entry:
            table.add_row(name, *(format_cell(entry.get(col), col) for col in COLUMNS))
    console.print(table)
    console.print(
        f"retention {format_cell(evaluation.get('retention'))}  speed-up vs teacher {format_cell(evaluation.get('speedup_vs_teacher'))}"
        f"  int8 speed-up {format_cell(evaluation.get('int8_speedup'))}"
    )
    from domainkit.evaluation.checks import report_checks
    from domainkit.evaluation.report import check_lines

    # Checked from the stage's outputs, so runs resumed from folders older than the checks get them too.
    checked = {"checks": report_checks(evaluation), "preset": ctx.config.preset}
    for line in check_lines(checked, marks=_COLOURED_MARKS):
        console.print(line, highlight=False)
    console.print(f"report: {ctx.folder.root / 'report.html'}  model: {ctx.outputs.get('export', {}).get('model_dir', '-')}")
