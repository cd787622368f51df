// An editor writes an article in the browser: Decap CMS at /admin/ of
// `jianfan serve`, on a copy of the shipped site, in Debian's Chromium.
// Decap comes from this folder's npm install (the machine has no
// internet), copied into the site's static/ and named by site.yaml's
// `cms.script` with its integrity hash, as a newsroom self-hosting it does.
// The headline and the body are typed through IME composition events, as
// a Cantonese or pinyin input method sends them; two topics are chosen;
// the article is published. Then the file on disk must be byte for byte
// what `jianfan new` writes plus the typed text, both scripts' pages must
// show it, and `jianfan check` must find nothing wrong. A screenshot of
// the filled form goes to $SCREENSHOT_DIR.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { launch, watchedPage } from "./helpers.mjs";

const repo = new URL("../../", import.meta.url).pathname;
const bin = process.env.JIANFAN_BIN || join(repo, "target/debug/jianfan");
const shots = process.env.SCREENSHOT_DIR || new URL("./screenshots/", import.meta.url).pathname;
const decapDist = dirname(createRequire(import.meta.url).resolve("decap-cms/dist/decap-cms.js"));

const SLUG = "cms-editor-test";
const TITLE = "數碼港夥拍大學培育人才";
const BODY = ["數碼港昨日宣布與本地大學合作，為初創企業培訓人才。", "計劃明年推出，首批名額約一百個。"];

let site, server, origin, browser;

/** The sha384 subresource-integrity hash of a file. */
async function integrity(path) {
  return "sha384-" + createHash("sha384").update(await readFile(path)).digest("base64");
}

/** Starts `jianfan serve` on `root`; resolves to its origin once it listens. */
function serve(root) {
  const child = spawn(bin, ["--root", root, "serve", "--port", "0", "--drafts"], { stdio: ["ignore", "ignore", "pipe"] });
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stderr.on("data", (chunk) => {
      seen += chunk;
      const found = seen.match(/serving (http:\/\/127\.0\.0\.1:\d+)\//);
      if (found) resolve({ child, origin: found[1] });
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${seen}`)));
  });
}

before(async () => {
  site = await mkdtemp(join(tmpdir(), "jianfan-cms-"));
  for (const part of ["content", "templates", "static", "site.yaml"]) {
    await cp(join(repo, part), join(site, part), { recursive: true });
  }
  // Decap's entry script and the chunks it loads beside it (no source maps).
  const decap = join(site, "static/decap");
  await mkdir(decap, { recursive: true });
  for (const name of await readdir(decapDist)) {
    if (name.endsWith("decap-cms.js")) await cp(join(decapDist, name), join(decap, name));
  }
  const yaml = await readFile(join(site, "site.yaml"), "utf8");
  const hash = await integrity(join(decap, "decap-cms.js"));
  await writeFile(join(site, "site.yaml"), `${yaml}\ncms:\n  script: /decap/decap-cms.js\n  integrity: ${hash}\n`);
  ({ child: server, origin } = await serve(site));
  browser = await launch();
  await mkdir(shots, { recursive: true });
});
after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (site) await rm(site, { recursive: true, force: true });
});

/** Types `text` into the focused field as an input method does: a
 * composition of romanised keystrokes, then the chosen characters. */
async function compose(page, text) {
  const cdp = await page.context().newCDPSession(page);
  for (const word of text.match(/.{1,4}/gu)) {
    for (const typed of ["s", "sh", "shu"]) {
      await cdp.send("Input.imeSetComposition", { text: typed, selectionStart: typed.length, selectionEnd: typed.length });
    }
    await cdp.send("Input.imeSetComposition", { text: word, selectionStart: word.length, selectionEnd: word.length });
    await cdp.send("Input.insertText", { text: word });
  }
  await cdp.detach();
}

test("the pinned Decap release is the one npm installed, hash for hash", async () => {
  const source = await readFile(join(repo, "src/cms/config.rs"), "utf8");
  const version = source.match(/DECAP_VERSION: &str = "([^"]+)"/)[1];
  const pinned = source.match(/"(sha384-[^"]+)"/)[1];
  const installed = JSON.parse(await readFile(join(decapDist, "../package.json"), "utf8")).version;
  assert.equal(installed, version, "package.json pins the release src/cms/config.rs names");
  assert.equal(await integrity(join(decapDist, "decap-cms.js")), pinned);
});

test("an editor writes, tags and publishes an article in Decap; the site has it in both scripts", async () => {
  const context = await browser.newContext({ locale: "zh-HK", timezoneId: "Asia/Hong_Kong", viewport: { width: 1280, height: 1000 } });
  const { page, problems } = await watchedPage(context);
  await page.goto(`${origin}/admin/`);
  await page.getByRole("button", { name: "登入" }).click();
  await page.goto(`${origin}/admin/#/collections/articles/new`);

  const title = page.locator("#title-field-1, [id^='title-field']").first();
  await title.waitFor();
  await title.click();
  // Composition events on their own change nothing until text is chosen.
  await compose(page, TITLE);
  assert.equal(await title.inputValue(), TITLE);

  const slug = page.locator("[id^='slug-field']").first();
  await slug.fill(SLUG);

  // Two topics, by their names, from site.yaml.
  const topics = page.locator("[id^='topics-field']").first();
  for (const name of ["人工智能", "初創企業"]) {
    await topics.click();
    await page.getByText(name, { exact: true }).last().click();
  }

  const body = page.locator("textarea[id^='body-field']").first();
  await body.click();
  await compose(page, BODY[0]);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await compose(page, BODY[1]);
  assert.equal(await body.inputValue(), BODY.join("\n\n"));
  await page.screenshot({ path: join(shots, "cms-editor-1280.png"), fullPage: true });

  await page.getByRole("button", { name: "發布" }).click();
  await page.getByText("立即發布", { exact: true }).click();
  const file = join(site, "content", `${SLUG}.md`);
  let written;
  for (let i = 0; i < 100 && written === undefined; i++) {
    written = await readFile(file, "utf8").catch(() => undefined);
    if (written === undefined) await page.waitForTimeout(100);
  }
  assert.ok(written, "the article is saved");

  // What `jianfan new` writes for the same headline and topics, today in
  // Hong Kong, with the typed text after it.
  const fresh = await mkdtemp(join(tmpdir(), "jianfan-new-"));
  await cp(join(site, "site.yaml"), join(fresh, "site.yaml"));
  execFileSync(bin, ["--root", fresh, "new", SLUG, "--title", TITLE, "--topics", "ai,startups"], { stdio: "ignore" });
  const expected = (await readFile(join(fresh, "content", `${SLUG}.md`), "utf8")) + BODY.join("\n\n") + "\n";
  await rm(fresh, { recursive: true, force: true });
  assert.equal(written, expected);

  // "View live" (shown once the saved entry is opened again, as Decap
  // does) leads to serve's side-by-side preview of both scripts.
  await page.reload();
  const live = page.getByRole("link", { name: "觀看已發布的內容" });
  await live.waitFor({ timeout: 30000 });
  const href = await live.getAttribute("href");
  assert.equal(href, `${origin}/_preview/${SLUG}/`);
  const preview = await context.newPage();
  await preview.goto(href);
  const shown = await preview.locator("body").textContent();
  assert.ok(shown.includes(TITLE) && shown.includes("数码港伙拍大学培育人才"), shown);
  await preview.screenshot({ path: join(shots, "cms-preview-1280.png") });
  await preview.close();

  // Both scripts' pages, rebuilt by the watcher.
  for (const [variant, headline] of [["zh-hant", TITLE], ["zh-hans", "数码港伙拍大学培育人才"]]) {
    const reader = await context.newPage();
    let shown = "";
    for (let i = 0; i < 100 && !shown.includes(headline); i++) {
      const response = await reader.goto(`${origin}/${variant}/articles/${SLUG}/`);
      shown = response.ok() ? (await reader.locator("h1").textContent()).trim() : "";
      if (!shown.includes(headline)) await reader.waitForTimeout(200);
    }
    assert.equal(shown, headline, variant);
    await reader.close();
  }

  // `check` finds nothing wrong: no errors, no warnings.
  const report = execFileSync(bin, ["--root", site, "check"], { encoding: "utf8" });
  assert.doesNotMatch(report, /^(Errors|Warnings)/m, report);
  await context.close();
  assert.deepEqual(problems, []);
});

/** A `width` × `height` PNG of colour gradients (what a phone exports). */
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([x % 256, y % 256, (x + y) % 256], y * (width * 3 + 1) + 1 + x * 3);
  }
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

test("a photo uploaded in Decap's media library becomes the lead photo, processed", async () => {
  const context = await browser.newContext({ locale: "zh-HK", timezoneId: "Asia/Hong_Kong" });
  const { page, problems } = await watchedPage(context);
  const article = "hkust-elastocaloric-cooler";
  await page.goto(`${origin}/admin/`);
  await page.getByRole("button", { name: "登入" }).click();
  await page.goto(`${origin}/admin/#/collections/articles/entries/${article}`);
  await page.getByText("選擇一張圖片").first().click();
  await page.locator("input[type=file]").first().setInputFiles({ name: "cooler-lab.png", mimeType: "image/png", buffer: png(1000, 600) });
  await page.getByText("選擇已選擇的項目").click();
  await page.getByRole("button", { name: "發布" }).click();
  await page.getByText("立即發布", { exact: true }).click();
  const file = join(site, "content", `${article}.md`);
  let text = "";
  for (let i = 0; i < 100 && !text.includes("image: /images/cooler-lab.png"); i++) {
    await page.waitForTimeout(100);
    text = await readFile(file, "utf8");
  }
  assert.match(text, /\nimage: \/images\/cooler-lab\.png\n/);
  assert.match(text, /\ndraft: false\n/, "a published article stays published");
  assert.deepEqual(await readFile(join(site, "static/images/cooler-lab.png")), png(1000, 600));
  // The photos stage made its sizes for the article's page.
  const reader = await context.newPage();
  let html = "";
  for (let i = 0; i < 100 && !html.includes("cooler-lab-800w.webp"); i++) {
    const response = await reader.goto(`${origin}/zh-hans/articles/${article}/`);
    html = response.ok() ? await reader.content() : "";
    if (!html.includes("cooler-lab-800w.webp")) await reader.waitForTimeout(200);
  }
  assert.ok(html.includes("cooler-lab-800w.webp 800w"), "processed sizes in the srcset");
  await context.close();
  // Decap shows the chosen photo before it is saved; that request's 404 is
  // Decap's own, not the site's.
  const decaps = problems.filter((p) => p.includes("/images/cooler-lab.png")).length;
  const others = problems.filter((p) => !p.includes("/images/cooler-lab.png"));
  const consoled = others.filter((p) => p.startsWith("console: Failed to load resource"));
  assert.equal(consoled.length, decaps, "one console line per 404 of the unsaved photo");
  assert.deepEqual(others.filter((p) => !consoled.includes(p)), []);
});

test("a save that would not build is refused in Chinese and writes nothing", async () => {
  const context = await browser.newContext({ locale: "zh-HK", timezoneId: "Asia/Hong_Kong" });
  const page = await context.newPage();
  const before = await readdir(join(site, "content"));
  await page.goto(`${origin}/admin/`);
  await page.getByRole("button", { name: "登入" }).click();
  await page.goto(`${origin}/admin/#/collections/articles/new`);
  const title = page.locator("[id^='title-field']").first();
  await title.waitFor();
  await title.fill("另一篇數碼港報道");
  await page.locator("[id^='slug-field']").first().fill("cms-refused");
  // Conversion markup left open: Decap has no objection, the build has.
  await page.locator("textarea[id^='body-field']").first().fill("數碼港-{未完的標記。");
  await page.getByRole("button", { name: "發布" }).click();
  await page.getByText("立即發布", { exact: true }).click();
  const toast = page.getByText(/轉換標記「-{」沒有以「}-」結束.*content\/cms-refused\.md:13:4/s);
  await toast.first().waitFor({ timeout: 15000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(shots, "cms-refused-1280.png") });
  assert.deepEqual(await readdir(join(site, "content")), before, "nothing is written");
  await context.close();
});

test("an article changed on disk after the editor opened it is not overwritten", async () => {
  const context = await browser.newContext({ locale: "zh-HK", timezoneId: "Asia/Hong_Kong" });
  const page = await context.newPage();
  const file = join(site, "content", "cityu-us-patents.md");
  await page.goto(`${origin}/admin/`);
  await page.getByRole("button", { name: "登入" }).click();
  await page.goto(`${origin}/admin/#/collections/articles/entries/cityu-us-patents`);
  const title = page.locator("[id^='title-field']").first();
  await title.waitFor();
  // Meanwhile someone else's change lands (a text editor, git pull).
  const theirs = (await readFile(file, "utf8")).replace("連續九年", "連續十年");
  await writeFile(file, theirs);
  await title.fill("編輯甲改的標題");
  await page.getByRole("button", { name: "發布" }).click();
  await page.getByText("立即發布", { exact: true }).click();
  await page.getByText(/在你開啟後已被修改/).first().waitFor({ timeout: 15000 });
  assert.equal(await readFile(file, "utf8"), theirs, "their change stands");
  await context.close();
});
