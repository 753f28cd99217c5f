"""Starts a real connectlocal process for a suite, and records per-operation results.

Standard library only: the boto3 suite (this directory) and the AWS CLI suite
(../cli) both use it.

The binary is $CONNECTLOCAL_BIN (clients/run builds it once); without it the suite
builds one with `go build` from the project root.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

PROJECT_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# The second account of every suite: its key sees none of the default account's resources.
OTHER_KEY, OTHER_SECRET, OTHER_ACCOUNT = "AKIDOTHER", "other-secret", "111111111111"


class Server:
    """A connectlocal process: url, defaults (the banner's IDs by name), log_path."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="connectlocal-py-")
        binary = os.environ.get("CONNECTLOCAL_BIN")
        if not binary:
            binary = os.path.join(self.dir, "connectlocal")
            subprocess.run(["go", "build", "-o", binary, "./cmd/connectlocal"], cwd=PROJECT_ROOT, check=True)
        credentials = os.path.join(self.dir, "credentials")
        with open(credentials, "w") as f:
            f.write(f"{OTHER_KEY} {OTHER_SECRET} {OTHER_ACCOUNT}\n")
        self.log_path = os.path.join(self.dir, "server.log")
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [binary, "--memory", "--addr", "127.0.0.1:0", "--credentials", credentials],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._log, text=True,
        )
        self.url, self.defaults = None, {}
        ready = threading.Event()

        def read_banner():
            # "connectlocal is listening on http://...", then "  InstanceId:   <id>" lines;
            # the rest of stdout is drained so that the process never blocks on it.
            for line in self.proc.stdout:
                m = re.search(r"listening on (http://\S+)", line)
                if m:
                    self.url = m.group(1)
                m = re.match(r"^\s+(\w+):\s+(\S+)", line)
                if m:
                    self.defaults[m.group(1)] = m.group(2)
                if self.url and "EmailAddressId" in self.defaults:
                    ready.set()
            ready.set()

        self._reader = threading.Thread(target=read_banner, daemon=True)
        self._reader.start()
        if not ready.wait(20) or not self.url or "EmailAddressId" not in self.defaults:
            self.stop(keep_log=True)
            raise RuntimeError(f"connectlocal did not start (log: {self.log_path})")

    def stop(self, keep_log=False):
        """Ends the process; keep_log leaves its log (the path is printed) for a failed run."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(5)
        self.proc.stdout.close()
        self._log.close()
        if keep_log:
            print(f"connectlocal log: {self.log_path}", file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


class Results:
    """Per-operation results for the README's client matrix: an operation is verified
    when every test that calls it passes. Written to clients/results/<client>.json."""

    def __init__(self, client):
        self.client = client
        self.verified = {}
        self.failed_tests = 0
        self._lock = threading.Lock()
        self._local = threading.local()  # .called: the operations of this thread's test

    def called(self, operation):
        called = getattr(self._local, "called", None)
        if called is not None:
            called.add(operation)

    def test_case(self):
        """A unittest.TestCase base class whose tests record their operations' outcome.
        A test with `record = False` on its method is left out of the matrix."""
        results = self

        class RecordingTestCase(unittest.TestCase):
            def run(self, result=None):
                if result is None:
                    return super().run(result)
                before = len(result.failures) + len(result.errors)
                called = results._local.called = set()
                try:
                    return super().run(result)
                finally:
                    results._local.called = None
                    ok = len(result.failures) + len(result.errors) == before
                    record = getattr(getattr(self, self._testMethodName), "record", True)
                    with results._lock:
                        results.failed_tests += not ok
                        for op in called if record else ():
                            results.verified[op] = results.verified.get(op, True) and ok

        return RecordingTestCase

    def write(self):
        path = os.path.join(PROJECT_ROOT, "clients", "results")
        os.makedirs(path, exist_ok=True)
        rows = [{"operation": op, "ok": ok} for op, ok in sorted(self.verified.items())]
        with open(os.path.join(path, f"{self.client}.json"), "w") as f:
            json.dump(rows, f, indent=2)
            f.write("\n")


def not_recorded(test):
    """Leaves a test out of the matrix (it calls an operation that is not implemented)."""
    test.record = False
    return test


def run_concurrently(module, workers=3):
    """Runs the module's tests like `python3 -m unittest -v`, but several at a time (for
    suites whose calls are slow processes, like the AWS CLI's), and exits non-zero if one
    fails. Prints unittest's closing lines: "Ran N tests in Xs", then "OK" or "FAILED (...)".
    The tests must not depend on each other's order."""
    import concurrent.futures
    import time
    import traceback

    def flatten(suite):
        for t in suite:
            yield from flatten(t) if isinstance(t, unittest.TestSuite) else [t]

    tests = list(flatten(unittest.TestLoader().loadTestsFromModule(module)))
    start = time.time()
    failures, errors, skipped = [], [], 0
    lock = threading.Lock()

    def run(test):
        result = unittest.TestResult()
        test.run(result)
        with lock:
            status = "FAIL" if result.failures else "ERROR" if result.errors else "skipped" if result.skipped else "ok"
            print(f"{test.id()} ... {status}", flush=True)
        return result

    try:
        if hasattr(module, "setUpModule"):
            module.setUpModule()
    except Exception:
        tests = []  # none ran
        errors.append(("setUpModule", traceback.format_exc()))
    if tests:
        try:
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                for result in pool.map(run, tests):
                    failures += result.failures
                    errors += result.errors
                    skipped += len(result.skipped)
        finally:
            try:
                if hasattr(module, "tearDownModule"):
                    module.tearDownModule()
            except Exception:
                errors.append(("tearDownModule", traceback.format_exc()))
    for kind, items in (("FAIL", failures), ("ERROR", errors)):
        for test, tb in items:
            print("=" * 70)
            print(f"{kind}: {test if isinstance(test, str) else test.id()}")
            print("-" * 70)
            print(tb)
    print("-" * 70)
    print(f"Ran {len(tests)} tests in {time.time() - start:.3f}s\n")
    if failures or errors:
        counts = ", ".join(f"{k}={len(v)}" for k, v in (("failures", failures), ("errors", errors)) if v)
        print(f"FAILED ({counts})")
        sys.exit(1)
    print("OK" + (f" (skipped={skipped})" if skipped else ""))
