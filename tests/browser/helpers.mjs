// Shared by the browser tests: a static server for a built site (what any
// static host does: files, folder index.html, 404.html for the rest) and a
// headless Chromium from Debian's package.
import { createServer } from "node:http";
import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { createRequire } from "node:module";
import { before, after } from "node:test";
import { chromium } from "playwright-core";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8", ".wasm": "application/wasm",
  ".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
};

/** Serves `root` on a free loopback port; resolves to { url, close }. */
export async function serveSite(root) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
      res.end(await readFile(file));
    } catch {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(await readFile(join(root, "404.html")));
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

/** Debian's Chromium, with the flags this closed network needs. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A page that records console errors and failed requests. */
export async function watchedPage(browser, options = {}) {
  const page = await browser.newPage(options);
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // A request cut short because the reader moved on (ERR_ABORTED) is not a fault.
  page.on("requestfailed", (r) => {
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`); });
  return { page, problems };
}

/** The built site to test: $SITE_DIR, set by .ci/run. */
export function siteDir() {
  const dir = process.env.SITE_DIR;
  if (!dir) throw new Error("set SITE_DIR to a built site (see .ci/run)");
  return dir;
}

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** axe-core's violations on the page as it stands, one line each. */
export async function violations(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

/**
 * Serves `root` and opens a browser for the tests of the calling file; the
 * object's `site` ({ url, close }) and `browser` are set before its first
 * test, and closed after its last. With no `root` (an archive that was not
 * built), nothing is started and the file's tests skip themselves.
 */
export function servedWithBrowser(root) {
  const served = {};
  before(async () => {
    if (!root) return;
    served.site = await serveSite(root);
    served.browser = await launch();
  });
  after(async () => { await served.browser?.close(); served.site?.close(); });
  return served;
}

const lighthouseCli = createRequire(import.meta.url).resolve("lighthouse/cli/index.js");

/** Lighthouse's JSON report on `url` (its default, mobile profile) for
 * `categories`, run with Debian's Chromium. */
export function lighthouse(url, categories) {
  const args = [lighthouseCli, url, "--quiet", "--output=json", `--only-categories=${categories.join(",")}`,
    "--chrome-flags=--headless=new --no-sandbox --disable-gpu"];
  const env = { ...process.env, CHROME_PATH: process.env.CHROMIUM || "/usr/bin/chromium" };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout)));
  });
}
