"""Running a candidate interpreter once to learn what it is, with a cache.

A probe result is cached in ``<cache_dir>/interpreters.json`` keyed by the real path of
the interpreter binary and that file's mtime and size, so a reinstalled Python is probed
again. Scripts (pyenv shims and other wrappers) are never cached: what they run depends
on the environment. The file is rewritten atomically (temp file + rename), merging
entries that other processes wrote meanwhile; a corrupt file is ignored.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, NamedTuple

CACHE_FILE = "interpreters.json"
CACHE_FORMAT = 1
PROBE_TIMEOUT = 15.0
#: What a probe may print (its answer is one short line; warnings fit too).
PROBE_OUTPUT_LIMIT = 1 << 20

# Runs on Python 2.7 too: that is how vem can say "2.7 has no venv" instead of "not found".
_PROBE = """\
import sys, json
try:
    import sysconfig
    stdlib = sysconfig.get_path('stdlib')
    wheel_dir = sysconfig.get_config_var('WHEEL_PKG_DIR')
except Exception:
    stdlib = wheel_dir = None
impl = getattr(sys, 'implementation', None)
print('VEM-PROBE ' + json.dumps({
    'version': list(sys.version_info[:3]),
    'implementation': impl.name if impl else 'cpython',
    'executable': sys.executable,
    'stdlib': stdlib,
    'wheel_dir': wheel_dir or None,
}))
"""


class ProbeResult(NamedTuple):
    """What an interpreter said about itself."""

    version: tuple[int, int, int]
    implementation: str
    executable: str  # its sys.executable
    stdlib: str | None
    wheel_dir: str | None
    script: bool = False  # the probed file was a script (e.g. a pyenv shim)

    @property
    def version_str(self) -> str:
        return ".".join(map(str, self.version))

    @property
    def has_venv(self) -> bool:
        return self.version >= (3, 3, 0)

    def executable_for(self, probed: Path) -> Path:
        """The path to hand to venv: the probed path itself, unless it was a wrapper
        script (a shim must never become an env's base interpreter)."""
        if self.script and self.executable:
            return Path(self.executable)
        return probed

    @classmethod
    def for_running(cls) -> ProbeResult:
        import sysconfig

        v = sys.version_info
        return cls(
            (v.major, v.minor, v.micro),
            sys.implementation.name,
            sys.executable,
            sysconfig.get_path("stdlib"),
            sysconfig.get_config_var("WHEEL_PKG_DIR") or None,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProbeResult | None:
        try:
            version = tuple(int(x) for x in data["version"])
            if len(version) != 3:
                return None
            return cls(
                (version[0], version[1], version[2]),
                str(data["implementation"]),
                str(data["executable"]),
                data.get("stdlib") or None,
                data.get("wheel_dir") or None,
                bool(data.get("script", False)),
            )
        except (KeyError, TypeError, ValueError):
            return None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def run_probe(path: Path) -> tuple[ProbeResult | None, str]:
    """Run ``path``; (result, "") or (None, why it is not usable)."""
    try:
        returncode, out, err = bounded_run([str(path), "-E", "-s", "-c", _PROBE])
    except TimeoutError:
        return None, f"did not answer within {PROBE_TIMEOUT:.0f} s"
    except OverflowError:
        return None, f"printed more than {PROBE_OUTPUT_LIMIT // 1024} KiB: not a Python interpreter"
    except OSError as exc:
        return None, f"cannot run: {exc.strerror or exc}"
    stdout = out.decode("utf-8", errors="replace")
    stderr = err.decode("utf-8", errors="replace")
    if returncode != 0:
        detail = _first_line(stderr) or _first_line(stdout)
        return None, f"exit code {returncode}" + (f": {detail}" if detail else "")
    for line in reversed(stdout.splitlines()):
        if line.startswith("VEM-PROBE "):
            try:
                data = json.loads(line[len("VEM-PROBE ") :])
            except ValueError:
                break
            result = ProbeResult.from_json(data) if isinstance(data, dict) else None
            if result is not None:
                return result, ""
            break
    return None, "did not answer like a Python interpreter"


def bounded_run(
    args: list[str], *, timeout: float = PROBE_TIMEOUT, limit: int = PROBE_OUTPUT_LIMIT
) -> tuple[int, bytes, bytes]:
    """Run ``args`` (stdin closed) and return (exit code, stdout, stderr), reading at most
    ``limit`` bytes in all: a program that floods its output (``exec yes``) or never
    ends is killed (OverflowError, TimeoutError) instead of filling memory."""
    import selectors
    import subprocess
    import time

    proc = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
    chunks: dict[int, list[bytes]] = {out_fd: [], err_fd: []}
    total = 0
    deadline = time.monotonic() + timeout
    try:
        with selectors.DefaultSelector() as sel:
            for stream in (proc.stdout, proc.stderr):
                sel.register(stream, selectors.EVENT_READ)
            while sel.get_map():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                for key, _ in sel.select(left):
                    data = os.read(key.fd, 65536)
                    if not data:
                        sel.unregister(key.fileobj)
                        continue
                    chunks[key.fd].append(data)
                    total += len(data)
                    if total > limit:
                        raise OverflowError
        returncode = proc.wait(max(deadline - time.monotonic(), 0.01))
    except subprocess.TimeoutExpired:
        raise TimeoutError from None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    return returncode, b"".join(chunks[out_fd]), b"".join(chunks[err_fd])


def is_script(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(2) == b"#!"
    except OSError:
        return False


class ProbeCache:
    """The on-disk cache of probe results, loaded on first use."""

    def __init__(self, cache_dir: Path) -> None:
        self.file = cache_dir / CACHE_FILE
        self._entries: dict[str, dict[str, Any]] | None = None
        self._new: dict[str, dict[str, Any]] = {}

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    @property
    def entries(self) -> dict[str, dict[str, Any]]:
        if self._entries is None:
            self._entries = self._load()
        return self._entries

    def get(self, key: str, stamp: list[int]) -> ProbeResult | None:
        entry = self.entries.get(key)
        if not isinstance(entry, dict) or entry.get("stamp") != stamp:
            return None
        result = entry.get("result")
        return ProbeResult.from_json(result) if isinstance(result, dict) else None

    def put(self, key: str, stamp: list[int], result: ProbeResult) -> None:
        data = result._asdict()
        data["version"] = list(result.version)
        entry = {"stamp": stamp, "result": data}
        self.entries[key] = entry
        self._new[key] = entry

    def save(self) -> None:
        """Merge new entries into the file as it is now, atomically; errors are ignored
        (a cache that cannot be written only costs a probe next time)."""
        if not self._new:
            return
        merged = self._load()
        merged.update(self._new)
        from vem.fs.atomic import atomic_write_text

        payload = {"format": CACHE_FORMAT, "entries": merged}
        try:
            atomic_write_text(self.file, json.dumps(payload, sort_keys=True))
        except OSError:
            return
        self._new.clear()


def probe_cached(path: Path, cache: ProbeCache) -> tuple[ProbeResult | None, str]:
    """Probe ``path`` unless the cache already knows the file (same real path, mtime, size)."""
    script = is_script(path)
    real = os.path.realpath(path)
    stamp: list[int] | None = None
    if not script:
        try:
            st = os.stat(real)
            stamp = [st.st_mtime_ns, st.st_size]
        except OSError:
            stamp = None
        if stamp is not None:
            hit = cache.get(real, stamp)
            if hit is not None:
                return hit, ""
    result, reason = run_probe(path)
    if result is None:
        return None, reason
    if script:
        result = result._replace(script=True)
    elif stamp is not None:
        cache.put(real, stamp, result)
    return result, ""
