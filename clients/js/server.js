// Starts a real connectlocal process for the suite and stops it at the end.
//
// The binary is $CONNECTLOCAL_BIN (clients/run builds it once); without it the suite
// builds one with `go build` from the project root.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, createWriteStream, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

// The second account of every suite: its key sees none of the default account's resources.
export const OTHER = { accessKeyId: "AKIDOTHER", secretAccessKey: "other-secret", account: "111111111111" };

export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), "connectlocal-js-"));
  let bin = process.env.CONNECTLOCAL_BIN;
  if (!bin) {
    bin = join(dir, "connectlocal");
    execFileSync("go", ["build", "-o", bin, "./cmd/connectlocal"], { cwd: projectRoot, stdio: "inherit" });
  }
  const credentials = join(dir, "credentials");
  writeFileSync(credentials, `${OTHER.accessKeyId} ${OTHER.secretAccessKey} ${OTHER.account}\n`);
  const logPath = join(dir, "server.log");
  const proc = spawn(bin, ["--memory", "--addr", "127.0.0.1:0", "--credentials", credentials], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stderr.pipe(createWriteStream(logPath));

  // The banner: "connectlocal is listening on http://...", then "  InstanceId:   <id>" lines.
  const server = await new Promise((resolve, reject) => {
    const found = { defaults: {} };
    const timer = setTimeout(() => reject(new Error(`connectlocal did not start in 20s (log: ${logPath})`)), 20000);
    proc.once("exit", (code) => reject(new Error(`connectlocal exited with ${code} before it was ready (log: ${logPath})`)));
    const lines = createInterface({ input: proc.stdout });
    lines.on("line", (line) => {
      const listening = line.match(/listening on (http:\/\/\S+)/);
      if (listening) found.url = listening[1];
      const id = line.match(/^\s+(\w+):\s+(\S+)/);
      if (id) found.defaults[id[1]] = id[2];
      if (found.url && found.defaults.EmailAddressId) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  proc.stdout.resume();
  return {
    url: server.url,
    defaults: server.defaults,
    logPath,
    // stop ends the process; keepLog leaves its log (the path is printed) for a failed run.
    async stop({ keepLog = false } = {}) {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((resolve) => proc.once("exit", resolve));
        proc.kill("SIGTERM");
        await exited;
      }
      if (keepLog) console.log(`connectlocal log: ${logPath}`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}
