import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ip } from "./ip-command.ts";
import { PodNetwork } from "./pod-network.ts";

// A process alone in a fresh network namespace stands in for a pause container.
function processInOwnNetns(args: string[]): ChildProcess {
  return spawn("unshare", ["--net", ...args], { stdio: "ignore" });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on("error", reject);
  });
}

describe("PodNetwork", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "cjh-net-"));
  const bridge = `cjn${process.pid % 100000}`;
  const network = new PodNetwork({ bridge, cidr: `10.250.${process.pid % 200}.0/24`, stateDir });
  const children: ChildProcess[] = [];

  before(async () => {
    await network.up();
  });
  after(async () => {
    for (const child of children) child.kill("SIGKILL");
    await network.down();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test("a pod gets its own address on the bridge, reachable from the host, with no default route", async () => {
    const www = mkdtempSync(join(tmpdir(), "cjh-www-"));
    writeFileSync(join(www, "index.html"), "hello from the pod\n");
    const server = processInOwnNetns(["busybox", "httpd", "-f", "-p", "8080", "-h", www]);
    children.push(server);
    const pid = server.pid;
    assert.ok(pid);

    const { podIP, namespace } = await network.attach("pod-a", pid);
    assert.equal(podIP, network.subnet.gateway.replace(/\.1$/, ".2"));
    assert.match(
      await ip(["-n", namespace, "-o", "-4", "addr", "show", "dev", "eth0"]),
      new RegExp(` ${podIP}/24 `),
    );
    assert.doesNotMatch(await ip(["-n", namespace, "route"]), /default/);
    assert.equal(await httpStatus(`http://${podIP}:8080/index.html`), 200);

    // A second pod gets the next address; a detached pod's address is free again.
    const second = processInOwnNetns(["sleep", "60"]);
    children.push(second);
    assert.ok(second.pid);
    const { podIP: secondIP } = await network.attach("pod-b", second.pid);
    assert.notEqual(secondIP, podIP);
    await network.detach("pod-a");
    assert.doesNotMatch(await ip(["netns", "list"]), new RegExp(`${bridge}-pod-a\\b`));
    await assert.rejects(httpStatus(`http://${podIP}:8080/index.html`));

    // Leases survive a restart: a new PodNetwork on the same state folder does not hand out pod-b's address.
    const restarted = new PodNetwork({ bridge, cidr: network.subnet.cidr, stateDir });
    const third = processInOwnNetns(["sleep", "60"]);
    children.push(third);
    assert.ok(third.pid);
    const { podIP: thirdIP } = await restarted.attach("pod-c", third.pid);
    assert.notEqual(thirdIP, secondIP);
    await restarted.detachAll();
    assert.doesNotMatch(await ip(["netns", "list"]), new RegExp(`${bridge}-`));
    rmSync(www, { recursive: true, force: true });
  });

  test("refuses a bridge name longer than an interface name allows", () => {
    assert.throws(
      () => new PodNetwork({ bridge: "a-very-long-bridge-name", cidr: "10.244.0.0/24", stateDir }),
      /bridge name a-very-long-bridge-name: use 1 to 12 letters, digits, '-' or '_'/,
    );
  });

  test("without root it says what it needs instead of half-configuring", () => {
    const script = `import { requireRoot } from ${JSON.stringify(join(import.meta.dirname, "ip-command.ts"))}; requireRoot("Pod networking");`;
    let stderr = "";
    try {
      execFileSync(
        "setpriv",
        [
          "--reuid=65534",
          "--regid=65534",
          "--clear-groups",
          process.execPath,
          "--import",
          "tsx",
          "--input-type=module",
          "-e",
          script,
        ],
        {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
          cwd: join(import.meta.dirname, "../.."),
        },
      );
    } catch (error) {
      stderr = String((error as { stderr?: unknown }).stderr);
    }
    assert.match(
      stderr,
      /Pod networking needs root \(it creates a bridge, network namespaces and veth pairs with iproute2\)/,
    );
  });
});
