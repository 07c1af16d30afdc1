"""Starting worker processes: a Ctrl-C meanwhile is held, not lost, and never reaches them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from qecsim.sampling.spawn import sigint_ignored

pytestmark = pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX only")


def test_a_ctrl_c_while_workers_start_is_raised_when_they_have_started():
    reached = []
    with pytest.raises(KeyboardInterrupt):
        with sigint_ignored():
            os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C sends
            time.sleep(0.2)  # a worker starting: not cut short
            reached.append(True)
    assert reached == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])


def test_without_a_ctrl_c_nothing_is_raised_and_the_handler_is_restored():
    with sigint_ignored():
        pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_worker_started_inside_never_sees_ctrl_c(tmp_path):
    """The first spawn starts multiprocessing's resource tracker, which unblocks SIGINT in
    the parent: the block must hold for the first worker too."""
    script = tmp_path / "spawn_two.py"
    script.write_text(textwrap.dedent("""
        import multiprocessing, signal, sys
        from qecsim.sampling.spawn import sigint_ignored

        def report():
            blocked = signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])
            sys.exit(0 if blocked else 1)

        if __name__ == "__main__":
            context = multiprocessing.get_context("spawn")
            codes = []
            for _ in range(2):
                with sigint_ignored():
                    process = context.Process(target=report)
                    process.start()
                process.join()
                codes.append(process.exitcode)
            print(codes)
    """))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.stdout.strip() == "[0, 0]", result.stderr[-2000:]
