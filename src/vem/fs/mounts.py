"""Mount points: where one file system is mounted into another.

Comparing ``st_dev`` finds most mounts, but not a bind mount of a folder of the same
file system; on Linux the kernel's own table (``/proc/self/mountinfo``) names them all.
"""

from __future__ import annotations

import os
import re

_MOUNTINFO = "/proc/self/mountinfo"
_OCTAL = re.compile(r"\\([0-7]{3})")


def mount_points() -> list[str] | None:
    """Every mount point of this process's mount namespace; None where unknown."""
    try:
        with open(_MOUNTINFO, "rb") as f:
            data = f.read(8 << 20)
    except OSError:
        return None
    points: list[str] = []
    for line in data.splitlines():
        fields = line.split(b" ")
        if len(fields) > 4:
            raw = _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), os.fsdecode(fields[4]))
            points.append(raw)
    return points


def mounts_inside(path: str) -> list[str]:
    """Mount points strictly inside the directory ``path`` (after resolving it)."""
    real = os.path.realpath(path)
    points = mount_points() or []
    prefix = real.rstrip(os.sep) + os.sep
    return sorted(p for p in points if p.startswith(prefix))


def is_mount_point(path: str) -> bool:
    """``path`` itself is a mount point (a bind mount or a volume counts too)."""
    if os.path.ismount(path):
        return True
    points = mount_points()
    return points is not None and os.path.realpath(path) in points
