"""Operations: one function per verb (create, remove, list, info, path, activate, run,
config, doctor, recreate, relink, move, prune, sync).

Each takes the :class:`~vem.places.workspace.Workspace` and typed options, does the whole job
(vem's record, locks, safety through :mod:`vem.deletion`), and returns a typed result
(:class:`~vem.result.Result`): what was done, the env(s), warnings and hints. Nothing
here prints, prompts or knows of Click or Rich; the CLI renders the result once.
"""
