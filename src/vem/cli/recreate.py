from __future__ import annotations

from typing import TYPE_CHECKING

import click

from vem.cli._app import App, json_option, name_argument, pass_app

if TYPE_CHECKING:
    from vem.ops.recreate import RecreatePlan
    from vem.result import JSON


@click.command()
@name_argument
@click.option(
    "-p", "--python", "python", metavar="SPEC", help="Rebuild with this Python (default: its own)."
)
@click.option("--dry-run", is_flag=True, help="Print the plan; change nothing.")
@json_option
@pass_app
def recreate(app: App, name: str | None, python: str | None, dry_run: bool, as_json: bool) -> None:
    """Rebuild an environment with what it holds (the current project's by default).

    Every distribution at its version, editables from their source; built beside
    the old env and swapped in only when complete.
    """
    from vem.cli.progress import sigterm_as_interrupt, steps
    from vem.ops.recreate import RecreateOptions
    from vem.ops.recreate import recreate as run_recreate

    ws = app.workspace()

    def show(plan: RecreatePlan) -> None:
        if dry_run and not as_json:
            app.result(plan_text(plan))
        elif not as_json:
            app.info(plan_text(plan))

    with steps(app) as progress, sigterm_as_interrupt():
        result = run_recreate(
            ws,
            RecreateOptions(
                name=name,
                python=python,
                dry_run=dry_run,
                output_fd=app.subprocess_output(),
                progress=progress,
                on_plan=show,
            ),
        )
    app.finish(result)
    if as_json:
        data: dict[str, JSON] = {**result.env.to_json(), "plan": plan_json(result.plan)}
        data["dry_run"] = dry_run
        app.json(data)
    elif not dry_run:
        app.result(str(result.env.path))


def plan_text(plan: RecreatePlan) -> str:
    it = plan.interpreter
    lines = [
        f"{'would recreate' if plan.unavailable else 'recreating'} {plan.env.path}",
        f"  with Python {it.version_str} at {it.path} ({plan.interpreter_reason})",
    ]
    if plan.pip is None:
        lines.append("  without pip (it had none)")
    rows = [(f"{d.name} {d.version}", d.source, d.where) for d in plan.distributions]
    width = max((len(r[0]) for r in rows), default=0)
    for dist, row in zip(plan.distributions, rows, strict=True):
        mark = "  cannot be had: " + dist.problem if dist.problem else ""
        lines.append(f"  {row[0].ljust(width)}  {row[1]:<9} {row[2]}{mark}")
    if not rows:
        lines.append("  no distributions")
    return "\n".join(lines)


def plan_json(plan: RecreatePlan) -> JSON:
    return {
        "python": plan.interpreter.version_str,
        "interpreter": str(plan.interpreter.path),
        "interpreter_reason": plan.interpreter_reason,
        "pip": plan.pip,
        "system_site_packages": plan.system_site_packages,
        "distributions": [d.to_json() for d in plan.distributions],
    }
