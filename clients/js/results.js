// Per-operation results for the README's client matrix: every operation a test calls is
// verified when all the tests that call it pass. Written to clients/results/js.json.
import { test } from "node:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./server.js";

const verified = new Map(); // operation name -> ok
let calledByCurrentTest = null;
let failedTests = 0;

// record is a client middleware that notes the operation of each call.
export function record(client) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calledByCurrentTest?.add(context.commandName.replace(/Command$/, ""));
      return next(args);
    },
    { step: "initialize", name: "connectlocalRecordOperation" },
  );
  return client;
}

// check is node:test's test() that also records the outcome for each operation it called.
// { record: false } leaves the test out of the matrix (an unimplemented operation);
// { record: ["Op", ...] } records the outcome for those operations only (the ones the test
// is about, when it calls others just to look at the result).
export function check(name, fn, { record = true } = {}) {
  test(name, async (t) => {
    const called = new Set();
    calledByCurrentTest = called;
    let ok = false;
    try {
      await fn(t);
      ok = true;
    } finally {
      if (!ok) failedTests++;
      calledByCurrentTest = null;
      const recorded = Array.isArray(record) ? [...called].filter((op) => record.includes(op)) : record ? called : [];
      for (const op of recorded) verified.set(op, (verified.get(op) ?? true) && ok);
    }
  });
}

export function anyFailed() {
  return failedTests > 0;
}

export function writeResults(client) {
  const dir = join(projectRoot, "clients", "results");
  mkdirSync(dir, { recursive: true });
  const list = [...verified.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([operation, ok]) => ({ operation, ok }));
  writeFileSync(join(dir, `${client}.json`), JSON.stringify(list, null, 2) + "\n");
}
