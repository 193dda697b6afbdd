"""Python interpreters: finding them (discovery), asking one what it is (the isolated,
cached probe), and the one way vem starts any program (proc)."""
