"""Making and changing envs: building (an EnvBuilder for a described target), building
beside and swapping in, relocating scripts, rebuilding, seeding pip, installing (pip and
uv behind one interface) and the requirement files a sync installs."""
