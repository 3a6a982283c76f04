"""One control group per sandbox: a memory budget that counts the submission's files in memory
(tmpfs pages are charged to the group that writes them), one CPU core at most, a process cap, the
CPU seconds of all its processes (new sessions included), and a kill that reaches every one of them.

Works with cgroup v2 (a unified hierarchy, e.g. systemd machines) and cgroup v1 (one hierarchy per
controller), as root. Groups are made below the grader's own group, so a container's limits still hold.
Where neither can be written (not root, no delegation), `available()` says why and the sandbox falls
back to per-process limits.
"""

import os
import signal
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MOUNT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("memory", "cpu", "cpuacct", "pids", "freezer")
PARENT_NAME = "course-grader"


@dataclass(frozen=True)
class Budget:
    memory_bytes: int
    cpu_cores: float = 1.0
    processes: int = 64


def _own_path(controller):
    """The grader's own group in a v1 hierarchy ("" in v2: the line starting with 0::)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        number, controllers, path = line.split(":", 2)
        if (controller is None and number == "0") or (controller and controller in controllers.split(",")):
            return path.lstrip("/")
    return None


def _writable(path):
    return path.is_dir() and os.access(path, os.W_OK)


@cache
def version():
    """2, 1, or None with the reason in available()."""
    if (MOUNT / "cgroup.controllers").exists():
        own = MOUNT / (_own_path(None) or "")
        needed = {"memory", "cpu", "pids"}
        if needed <= set((own / "cgroup.controllers").read_text().split()) and _writable(own):
            return 2
        return None
    if all(_writable(MOUNT / c / (_own_path(c) or "")) for c in V1_CONTROLLERS):
        return 1
    return None


def available():
    if os.geteuid() != 0:
        return "unavailable (the grader does not run as root)"
    if version() is None:
        return "unavailable (no writable cgroup v1 or v2 hierarchy with memory, cpu and pids)"
    return f"cgroup v{version()}"


class Group:
    """A control group named `name` below the grader's own; create() makes it anew."""

    def __init__(self, name):
        if version() == 2:
            base = MOUNT / (_own_path(None) or "") / PARENT_NAME
            self.dirs = {"all": base / name}
            self._parents = [base]
        else:
            self.dirs = {c: MOUNT / c / (_own_path(c) or "") / PARENT_NAME / name for c in V1_CONTROLLERS}
            self._parents = [d.parent for d in self.dirs.values()]

    def _file(self, controller, name):
        return self.dirs["all" if version() == 2 else controller] / name

    def create(self, budget):
        self.destroy()  # a group left over by a grader that was killed
        for parent in self._parents:
            parent.mkdir(exist_ok=True)
        if version() == 2:
            self._enable_v2_controllers()
        for directory in self.dirs.values():
            directory.mkdir()
        period = 100_000
        quota = max(1000, int(budget.cpu_cores * period))
        if version() == 2:
            self._write("memory", "memory.max", budget.memory_bytes)
            self._write("memory", "memory.swap.max", 0, optional=True)
            self._write("cpu", "cpu.max", f"{quota} {period}")
            self._write("pids", "pids.max", budget.processes)
        else:
            self._write("memory", "memory.limit_in_bytes", budget.memory_bytes)
            self._write("memory", "memory.memsw.limit_in_bytes", budget.memory_bytes, optional=True)
            self._write("cpu", "cpu.cfs_period_us", period)
            self._write("cpu", "cpu.cfs_quota_us", quota)
            self._write("pids", "pids.max", budget.processes)
        return self

    def _enable_v2_controllers(self):
        own = self._parents[0].parent
        for directory in (own, self._parents[0]):
            try:
                (directory / "cgroup.subtree_control").write_text("+memory +cpu +pids")
            except OSError:
                pass  # already enabled, or the parent's own processes forbid it (then create() fails clearly)

    def _write(self, controller, name, value, optional=False):
        try:
            self._file(controller, name).write_text(str(value))
        except OSError:
            if not optional:
                raise

    def procs_files(self):
        """Where a process writes its pid to join the group (every hierarchy)."""
        return [directory / "cgroup.procs" for directory in self.dirs.values()]

    def cpu_seconds(self):
        """CPU time of every process that ever ran in the group."""
        try:
            if version() == 2:
                for line in self._file("cpu", "cpu.stat").read_text().splitlines():
                    if line.startswith("usage_usec "):
                        return int(line.split()[1]) / 1e6
                return 0.0
            return int(self._file("cpuacct", "cpuacct.usage").read_text()) / 1e9
        except (OSError, ValueError):
            return 0.0

    def memory_peak_bytes(self):
        """The most memory the group held at once (processes and files kept in memory)."""
        name = "memory.peak" if version() == 2 else "memory.max_usage_in_bytes"
        try:
            return int(self._file("memory", name).read_text())
        except (OSError, ValueError):
            return 0

    def out_of_memory(self):
        """True once the kernel killed a process of the group for memory."""
        try:
            if version() == 2:
                text = self._file("memory", "memory.events").read_text()
            else:
                text = self._file("memory", "memory.oom_control").read_text()
            counts = dict(line.split() for line in text.splitlines() if len(line.split()) == 2)
            return int(counts.get("oom_kill", 0)) > 0
        except (OSError, ValueError):
            return False

    def pids(self):
        try:
            text = self._file("pids", "cgroup.procs").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def kill_all(self):
        """SIGKILL every process of the group, however it detached, and wait until none is left."""
        if not self.dirs["all" if version() == 2 else "pids"].exists():
            return
        if version() == 2:
            self._write("all", "cgroup.kill", 1, optional=True)
        else:
            self._write("freezer", "freezer.state", "FROZEN", optional=True)  # no new forks while we kill
        for _ in range(200):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if version() == 1:
                self._write("freezer", "freezer.state", "THAWED", optional=True)  # killed tasks must run to die
            time.sleep(0.01)
        if version() == 1:
            self._write("freezer", "freezer.state", "THAWED", optional=True)  # the next run joins this group

    def destroy(self):
        self.kill_all()
        for directory in self.dirs.values():
            for _ in range(100):
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)  # the last tasks are still exiting
