// Valid HTML: the Nu Html Checker (npm's vnu-jar, run with the machine's
// Java) on every page of the built site. Any error fails, with its place.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { siteDir } from "./helpers.mjs";

const vnu = createRequire(import.meta.url).resolve("vnu-jar/build/dist/vnu.jar");

/** The checker's errors for every HTML file under `dir`, one per line. */
function check(...paths) {
  return new Promise((resolve, reject) => {
    execFile("java", ["-jar", vnu, "--errors-only", "--skip-non-html", ...paths],
      { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        // Exit status 1 means errors were found; they are on stderr.
        if (error && error.code !== 1) return reject(error);
        resolve(stderr.split("\n").filter((line) => line.trim()));
      });
  });
}

test("the check can fail: an invalid page is reported", async () => {
  const dir = await mkdtemp(join(tmpdir(), "vnu-"));
  await writeFile(join(dir, "bad.html"), "<!DOCTYPE html><html lang=en><title>x</title><p><div></span>");
  const errors = await check(dir);
  assert.ok(errors.some((e) => e.includes("bad.html")), errors.join("\n"));
});

test("every page of the built site is valid HTML", async () => {
  const errors = await check(siteDir());
  assert.deepEqual(errors, []);
});

test("a large archive's front, period and index pages are valid HTML", { skip: !process.env.ARCHIVE_DIR && "set ARCHIVE_DIR" }, async () => {
  const archive = process.env.ARCHIVE_DIR;
  // A day of June 2019 with articles: the corpus skips some days.
  const day = (await readdir(join(archive, "zh-hant/2019/06"))).sort()[0];
  const pages = ["zh-hant/index.html", `zh-hant/2019/06/${day}/index.html`, "zh-hant/archive/index.html",
    "zh-hans/topics/ai/index.html", "zh-hans/topics/ai/2019/06/index.html", "zh-hans/topics/ai/archive/index.html",
    "zh-hant/articles/archive-01234/index.html"];
  const errors = await check(...pages.map((p) => join(archive, p)));
  assert.deepEqual(errors, []);
});

test("an article with photos (<picture>, srcset, figures) is valid HTML in both scripts", { skip: !process.env.PHOTO_DIR && "set PHOTO_DIR" }, async () => {
  const pages = ["zh-hant", "zh-hans"].map((v) => join(process.env.PHOTO_DIR, v, "articles/photo-story/index.html"));
  const errors = await check(...pages);
  assert.deepEqual(errors, []);
});
