"""Reading an env, never running it: where things are in it (layout, pyvenv.cfg), the
Env value, its health, what its files say (traces), what it holds (contents), what it
costs (sizes), its identity, use marks, ``.venv`` pointers and other tools' stores."""
