// What a reader's browser pays for a search on a large archive's sharded
// index (issue 6): the time until the search box is ready (every shard's
// entry and metadata loaded and merged), until the first results show, and
// for a second query in the same page, with the requests and bytes it took.
// Each query runs in a fresh browser context (nothing cached), three rounds;
// medians are printed, then each query's figures.
//
//   npm ci --prefix tests/browser        # playwright-core, once
//   node bench/search_reader.mjs OUTPUT_DIR            # over loopback
//   node bench/search_reader.mjs OUTPUT_DIR --throttle # 60 ms, 10 Mbit/s
//
// OUTPUT_DIR is a built site, e.g. the 10,000-article corpus built by
// bench/run.sh's steps; Chromium is Debian's (/usr/bin/chromium or $CHROMIUM).
import { serveSite, launch } from "../tests/browser/helpers.mjs";

const [root, flag] = process.argv.slice(2);
if (!root) {
  console.error("usage: node bench/search_reader.mjs OUTPUT_DIR [--throttle]");
  process.exit(2);
}
const throttle = flag === "--throttle";
// A common word, a name, a rare phrase, a number and a Latin word.
const queries = ["香港", "數碼港", "彈熱製冷", "2222", "GreenTech"];
const ROUNDS = 3;

const site = await serveSite(root);
const browser = await launch();
const rows = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const query of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (throttle) {
      // A reader on an ordinary connection: every request pays a round trip.
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false, latency: 60, downloadThroughput: 10e6 / 8, uploadThroughput: 2e6 / 8,
      });
    }
    // Every finished request, the search worker's included; its size is
    // read later, all at once, so that none is missed.
    const finished = [];
    context.on("requestfinished", (request) => finished.push(request));
    const opened = Date.now();
    await page.goto(`${site.url}zh-hant/search/`);
    await page.waitForSelector("#search-input:not([disabled])", { timeout: 60000 });
    const ready = Date.now() - opened;
    const typed = Date.now();
    await page.fill("#search-input", query);
    await page.waitForSelector("#search-results a", { timeout: 60000 });
    const first = Date.now() - typed;
    // Cleared first, so that the old results cannot pass for the new ones.
    await page.fill("#search-input", "");
    await page.waitForSelector("#search-results a", { state: "detached", timeout: 60000 });
    const retyped = Date.now();
    await page.fill("#search-input", `${query} 科技`);
    await page.waitForFunction(
      () => document.querySelector("#search-results a") || document.getElementById("search-status").textContent,
      null, { timeout: 60000 });
    const second = Date.now() - retyped;
    await page.waitForTimeout(500); // let the last responses be counted
    const sizes = await Promise.all(finished.map((request) => request.sizes()));
    const bytes = sizes.reduce((sum, size) => sum + size.responseBodySize + size.responseHeadersSize, 0);
    rows.push({ query, ready, first, second, requests: finished.length, kb: Math.round(bytes / 1024) });
    await context.close();
  }
}
await browser.close();
site.close();

const median = (key, of = rows) => {
  const values = of.map((row) => row[key]).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
};
console.log(`${throttle ? "throttled (60 ms, 10 Mbit/s)" : "loopback"}: ready ${median("ready")} ms, ` +
  `first results ${median("first")} ms, second query ${median("second")} ms, ` +
  `${median("requests")} requests, ${median("kb")} KB`);
for (const query of queries) {
  const of = rows.filter((row) => row.query === query);
  console.log(`  ${query}: ready ${median("ready", of)} ms, first ${median("first", of)} ms, ` +
    `second ${median("second", of)} ms, ${median("requests", of)} requests, ${median("kb", of)} KB`);
}
