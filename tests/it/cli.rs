//! The `jianfan` binary as an editor runs it: exit status, what it prints,
//! and what it leaves on disk when the content is wrong.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::*;

fn jianfan(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jianfan"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("jianfan runs")
}

#[test]
fn build_reports_success_on_stderr() {
    let site = fixture("basic");
    let run = jianfan(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("built 5 articles in 2 scripts"), "{stderr}");
    assert!(site.path().join("public/zh-hans/index.html").is_file());
}

#[test]
fn every_content_error_is_reported_in_one_run_and_nothing_is_written() {
    // A good site is built first; then every article is replaced by broken ones.
    let site = fixture("basic");
    let output = site.path().join("public");
    assert!(jianfan(site.path(), &["build"]).status.success());
    let before = snapshot(&output);

    std::fs::remove_dir_all(site.path().join("content")).expect("remove content");
    copy_tree(&repo().join("tests/fixtures/invalid-content"), site.path());
    let run = jianfan(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&run.stderr);

    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let expected = [
        "error: the slug `same` is used by content/a/same.md and content/b/same.md\n --> content/a/same.md:1:1",
        "error: the slug `same` is used by content/a/same.md and content/b/same.md\n --> content/b/same.md:1:1",
        "error: `2025-02-30` is not a real date\n --> content/bad-date.md:3:7\n  |\n3 | date: 2025-02-30\n  |       ^",
        "error: draft: invalid type: string \"yes\", expected a boolean\n --> content/draft-string.md:4:8\n  |\n4 | draft: \"yes\"\n  |        ^",
        "= help: write it like `draft: true (or false, without quotes)`",
        "error: the front matter is not closed\n --> content/not-closed.md:1",
        "= help: add a line containing only `---` after the last front-matter key",
        "error: unknown front-matter key `topic`\n --> content/unknown-key.md:4:1\n  |\n4 | topic: [science]\n  | ^",
        "= help: did you mean `topics`?",
        "error: unknown topic `sciense`\n --> content/unknown-topic.md:6:5\n  |\n6 |   - sciense\n  |     ^",
        "= help: did you mean `science`? Topics are defined under `topics:` in site.yaml",
        "7 errors found; nothing was written",
    ];
    for line in expected {
        assert!(stderr.contains(line), "missing {line:?} in:\n{stderr}");
    }
    assert!(
        !stderr.contains("panicked") && !stderr.contains("stack backtrace"),
        "{stderr}"
    );
    assert_eq!(
        snapshot(&output),
        before,
        "the previous site must stay as it was"
    );
}

#[test]
fn site_yaml_errors_name_the_line_and_the_fix() {
    let site = fixture("basic");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml");
    let broken = yaml
        .replace("front_page: 2", "front_pag: 2")
        .replace("[hk2s]", "[hk2ss]");
    std::fs::write(site.path().join("site.yaml"), broken).expect("write");
    let run = jianfan(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: unknown key `front_pag` in site.yaml\n --> site.yaml:5:1\n  |\n5 | front_pag: 2\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: did you mean `front_page`?"),
        "{stderr}"
    );
    assert!(!site.path().join("public").exists(), "nothing written");

    // A site.yaml of before the archive says what replaced the key, beside
    // the other errors of the same file.
    let old = yaml
        .replace("front_page: 2", "paginate_by: 2")
        .replace("[hk2s]", "[hk2ss]");
    std::fs::write(site.path().join("site.yaml"), old).expect("write");
    let run = jianfan(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: `paginate_by` is no longer used: numbered list pages (`/page/N/`) gave way to front pages and date archives\n --> site.yaml:5:1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: rename it to `front_page`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`hk2ss` is not an OpenCC config"),
        "{stderr}"
    );
    assert!(!site.path().join("public").exists(), "nothing written");
}

#[test]
fn template_errors_name_the_template() {
    let site = fixture("basic");
    std::fs::write(
        site.path().join("templates/article.html"),
        "{% extends \"base.html\" %}{% block main %}{{ article.nope }}{% endblock main %}",
    )
    .expect("write");
    let run = jianfan(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot render zh-hant/articles/"),
        "{stderr}"
    );
    assert!(stderr.contains("article.nope"), "{stderr}");
    assert!(!site.path().join("public").exists(), "nothing written");
}

#[test]
fn refuses_to_overwrite_a_folder_it_did_not_write() {
    let site = fixture("basic");
    let precious = site.path().join("precious");
    std::fs::create_dir(&precious).expect("mkdir");
    std::fs::write(precious.join("notes.txt"), "keep me").expect("write");
    let run = jianfan(
        site.path(),
        &["build", "--output", precious.to_str().expect("utf-8")],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("was not written by jianfan"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(precious.join("notes.txt")).expect("kept"),
        "keep me"
    );
}

#[test]
fn new_writes_a_complete_draft_and_refuses_bad_input() {
    let site = fixture("basic");
    let run = jianfan(
        site.path(),
        &[
            "new",
            "new-story",
            "--title",
            "新故事",
            "--topics",
            "science,economy",
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(site.path().join("content/new-story.md")).expect("written");
    assert!(
        text.starts_with("---\ntitle: 新故事\nsubtitle:\ndate: "),
        "{text}"
    );
    assert!(
        text.contains("\ntopics: [science, economy]\n") && text.contains("\ndraft: true\n"),
        "{text}"
    );
    let again = jianfan(site.path(), &["new", "new-story", "--title", "另一個"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr)
        .contains("already exists; jianfan never overwrites it"));
    let bad = jianfan(site.path(), &["new", "New Story", "--title", "x"]);
    assert!(String::from_utf8_lossy(&bad.stderr)
        .contains("`New Story` cannot be a slug: it becomes the article's URL"));
    let topic = jianfan(
        site.path(),
        &["new", "x", "--title", "x", "--topics", "sciense"],
    );
    assert!(String::from_utf8_lossy(&topic.stderr)
        .contains("`sciense` is not a topic in site.yaml; did you mean `science`?"));
    // The draft builds (and is left out until published).
    assert!(jianfan(site.path(), &["build"]).status.success());
}

#[test]
fn import_reads_standard_input_and_says_what_it_found() {
    let site = fixture("basic");
    let raw =
        std::fs::read(repo().join("tests/fixtures/import/cityu-us-patents.txt")).expect("fixture");
    let run = with_stdin(site.path(), &["import", "-"], &raw);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains("recognised: headline: 美專利大學榜 港城大連續九年列全港第一"),
        "{stderr}"
    );
    assert!(
        stderr.contains("recognised: byline: 香港文匯報訊（記者 高鈺）"),
        "{stderr}"
    );
    assert!(stderr.contains("recognised: 1 sub-heading(s)"), "{stderr}");
    let path = site
        .path()
        .join("content/mei-zhuan-li-da-xue-bang-gang-cheng.md");
    let text = std::fs::read_to_string(&path).expect("slug from the headline's pinyin");
    assert!(text.contains("\ndraft: true\n"), "{text}");
    // A second import of the same text never overwrites the first.
    let run = Command::new(env!("CARGO_BIN_EXE_jianfan"))
        .args(["--root", site.path().to_str().expect("utf-8"), "import"])
        .arg(repo().join("tests/fixtures/import/cityu-us-patents.txt"))
        .output()
        .expect("runs");
    assert!(run.status.success());
    assert!(site
        .path()
        .join("content/mei-zhuan-li-da-xue-bang-gang-cheng-2.md")
        .is_file());
}

#[test]
fn a_build_killed_at_any_moment_is_finished_or_rolled_back_by_the_next() {
    let site = fixture("basic");
    // Enough articles that a build takes a while to write.
    for n in 0..300 {
        std::fs::write(
            site.path().join(format!("content/bulk-{n}.md")),
            format!(
                "---\ntitle: 批量文章{n}\ndate: 2025-01-01\ntopics: [science]\n---\n\n{}\n",
                "數碼港發展。".repeat(200)
            ),
        )
        .expect("write");
    }
    let output = site.path().join("public");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml");
    let renamed = yaml.replace("測試新聞網", "改名新聞網");
    let set_name = |text: &str| std::fs::write(site.path().join("site.yaml"), text).expect("write");
    // What the renamed site's build writes, built whole elsewhere (builds
    // are deterministic), and how long updating the old site to it takes.
    set_name(&renamed);
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let args = [
        "build",
        "--quiet",
        "--output",
        elsewhere.path().to_str().expect("utf-8"),
    ];
    assert!(jianfan(site.path(), &args).status.success());
    let new = snapshot(elsewhere.path());
    set_name(&yaml);
    assert!(jianfan(site.path(), &["build"]).status.success());
    let old = snapshot(&output);
    assert_ne!(old, new);
    set_name(&renamed);
    let started = std::time::Instant::now();
    assert!(jianfan(site.path(), &["build", "--quiet"]).status.success());
    let update = started.elapsed();
    assert!(
        snapshot(&output) == new,
        "an update in place gives the new site"
    );

    // Killed at points through the whole update, each time from the old
    // site: the next build (its first step, `recover`) finishes it or
    // drops it, never leaves a mix.
    let (mut finished, mut moving_at) = (0, Vec::new());
    for permille in [100, 300, 500, 700, 850, 900, 950, 1000, 1050, 1100, 1200] {
        set_name(&yaml);
        assert!(jianfan(site.path(), &["build", "--quiet"]).status.success());
        set_name(&renamed);
        let mut child = Command::new(env!("CARGO_BIN_EXE_jianfan"))
            .args([
                "--root",
                site.path().to_str().expect("utf-8"),
                "build",
                "--quiet",
            ])
            .spawn()
            .expect("starts");
        std::thread::sleep(update * permille / 1000);
        let _ = child.kill(); // SIGKILL: no chance to clean up
        let _ = child.wait();
        // Killed while moving files in: a staging folder with a journal.
        let moving = (std::fs::read_dir(site.path()).expect("ls").flatten())
            .any(|e| e.path().join(jianfan::publish::journal::JOURNAL).exists());
        jianfan::publish::output::recover(&output);
        let now = snapshot(&output);
        assert!(
            now == old || now == new,
            "killed at {permille}‰ of an update, the folder is neither the old site nor the new one"
        );
        finished += usize::from(now == new);
        if moving {
            moving_at.push(permille);
        }
    }
    // Timing decides where each kill lands; publish::journal's own tests
    // finish a half-moved update deterministically.
    eprintln!(
        "{finished} of 11 killed updates were finished, the rest dropped; killed while moving \
         files in at {moving_at:?}‰ of the update's time"
    );
    // Left-over staging folders are cleaned up by the next build, which
    // leaves the new site.
    assert!(jianfan(site.path(), &["build", "--quiet"]).status.success());
    assert!(snapshot(&output) == new);
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("jianfan-tmp") || n.contains("jianfan-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_refused_and_loops_reported() {
    let site = fixture("basic");
    let secret = tempfile::NamedTempFile::new().expect("secret");
    std::fs::write(secret.path(), "TOP-SECRET").expect("write");
    std::os::unix::fs::symlink(secret.path(), site.path().join("static/leak.txt"))
        .expect("symlink");
    let run = jianfan(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("static/leak.txt is a link to")
            && stderr.contains("outside the site's folder"),
        "{stderr}"
    );
    assert!(!site.path().join("public").exists());

    std::fs::remove_file(site.path().join("static/leak.txt")).expect("rm");
    std::os::unix::fs::symlink(
        site.path().join("content"),
        site.path().join("content/loop"),
    )
    .expect("symlink");
    let run = jianfan(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/loop") && stderr.contains("loop"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `jianfan` with `input` on standard input.
fn with_stdin(root: &Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jianfan"))
        .arg("--root")
        .arg(root)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input).expect("piped");
    drop(stdin);
    child.wait_with_output().expect("finishes")
}

/// `jianfan convert ARGS` with `text` on standard input: the run, its
/// standard output and its standard error.
fn convert(root: &Path, args: &[&str], text: &str) -> (Output, String, String) {
    let args: Vec<&str> = std::iter::once("convert")
        .chain(args.iter().copied())
        .collect();
    let run = with_stdin(root, &args, text.as_bytes());
    let out = String::from_utf8_lossy(&run.stdout).into_owned();
    let err = String::from_utf8_lossy(&run.stderr).into_owned();
    (run, out, err)
}

#[test]
fn convert_writes_the_variant_as_the_build_would() {
    // Without a site.yaml: the shipped site's hk2s and its punctuation.
    let bare = tempfile::tempdir().expect("temp dir");
    let (run, out, err) = convert(bare.path(), &[], "他們看著名單，「數碼港」。\n");
    assert!(run.status.success(), "{err}");
    assert_eq!(out, "他们看着名单，“数码港”。\n");

    // A site's glossary and markup, Markdown syntax and front matter kept,
    // code and addresses as written; two texts of each kind in one file.
    let site = fixture("basic");
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).expect("site.yaml");
    std::fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}\nconversion:\n  phrases:\n    的士: {{zh-hans: 出租车}}\n"),
    )
    .expect("write");
    let article = "---\ntitle: 坐的士去數碼港\ndate: 2025-03-01\nimage: /圖/數碼.jpg\n---\n\n\
                   **坐的士。**去[數碼港](https://x.org/數碼港)，`數碼港`與-{乾隆}-。\n";
    let file = site.path().join("in.md");
    std::fs::write(&file, article).expect("write");
    let path = file.to_str().expect("utf-8");
    let (run, out, err) = convert(site.path(), &[path, "--to", "zh-hans"], "");
    assert!(run.status.success(), "{err}");
    assert_eq!(
        out,
        "---\ntitle: 坐出租车去数码港\ndate: 2025-03-01\nimage: /圖/數碼.jpg\n---\n\n\
         **坐出租车。**去[数码港](https://x.org/數碼港)，`數碼港`与乾隆。\n"
    );

    // Plain text with a chosen OpenCC config; an unknown variant is refused.
    let (_, out, _) = convert(bare.path(), &["--plain", "--opencc", "tw2s"], "**軟體**\n");
    assert_eq!(out, "**软体**\n");
    let (run, _, err) = convert(bare.path(), &["--to", "zh-xx"], "字");
    assert!(!run.status.success());
    assert!(err.contains("`zh-xx` is not a variant"), "{err}");
}

#[test]
fn convert_review_says_what_check_would_ask() {
    let bare = tempfile::tempdir().expect("temp dir");
    let text = "主席於文東昨日表示，你去了哪里？\n沿著名山走，這是以后的事。砲彈和呉先生。\n";
    let (run, out, err) = convert(bare.path(), &["--review"], text);
    assert!(run.status.success(), "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    // Each at its line: a surname after a role, a locative 里, a Simplified
    // word, and the particle question, all in one run.
    assert!(err.contains("`於` may be a surname here"), "{err}");
    assert!(err.contains("「哪里」 is a Simplified word"), "{err}");
    assert!(err.contains("「以后」 is a Simplified word"), "{err}");
    assert!(err.contains("`著` after `沿`"), "{err}");
    assert!(err.contains("<stdin>:2"), "{err}");
    // 砲 stays and is reported: the Simplified standard writes 炮; the
    // Japanese 呉 becomes 吴.
    assert!(
        err.contains("`砲`, not in the Table of General Standard Chinese Characters"),
        "{err}"
    );
    assert!(out.contains("砲弹和吴先生"), "{out}");
    // Without --review, nothing on standard error.
    let (_, _, quiet) = convert(bare.path(), &[], text);
    assert!(quiet.is_empty(), "{quiet}");
}

/// Built with `--no-default-features`, `serve` is refused with the way to
/// get it, and listens on nothing. (`.ci/run` builds and tests this leg.)
#[cfg(not(feature = "serve"))]
#[test]
fn serve_without_the_feature_is_refused_with_the_way_to_get_it() {
    let site = fixture("basic");
    let run = jianfan(site.path(), &["serve", "--port", "0"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{stderr}");
    assert!(stderr.contains("cargo feature `serve`"), "{stderr}");
    assert!(stderr.contains("--no-default-features"), "{stderr}");
    assert!(!site.path().join("public").exists(), "nothing is built");
}

#[test]
fn cms_config_publishes_an_admin_for_a_hosted_repository() {
    let site = fixture("basic");
    let run = jianfan(
        site.path(),
        &[
            "cms-config",
            "--backend",
            "gitlab",
            "--repo",
            "newsroom/site",
            "--app-id",
            "abc123",
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let yml = std::fs::read_to_string(site.path().join("static/admin/config.yml")).expect("config");
    let config: serde_yaml::Value = serde_yaml::from_str(&yml).expect("YAML");
    assert_eq!(config["backend"]["name"], "gitlab");
    assert_eq!(config["backend"]["repo"], "newsroom/site");
    assert_eq!(config["backend"]["branch"], "main");
    assert_eq!(config["backend"]["auth_type"], "pkce");
    assert_eq!(config["backend"]["app_id"], "abc123");
    assert_eq!(
        config["collections"][0]["preview_path"],
        "zh-hant/articles/{{slug}}/"
    );
    assert_eq!(config["locale"], "zh_Hant");
    assert!(
        !yml.contains("name: version"),
        "hosted, git keeps the versions"
    );
    // Hosted, Decap writes the slug into the file: jianfan checks it.
    let article = "---\ntitle: 托管\nslug: hosted\ndate: 2025-03-05\ntopics:\n  - science\ndraft: false\n---\n正文。\n";
    std::fs::write(site.path().join("content/hosted.md"), article).expect("written");
    let out = tempfile::tempdir().expect("out");
    let output = out.path().join("public");
    let run = jianfan(
        site.path(),
        &["build", "--output", output.to_str().expect("utf-8")],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let admin = std::fs::read_to_string(output.join("admin/index.html")).expect("published");
    assert!(admin.contains("integrity=\"sha384-"), "{admin}");
    std::fs::write(
        site.path().join("content/hosted.md"),
        article.replace("slug: hosted", "slug: other"),
    )
    .expect("w");
    let run = jianfan(site.path(), &["check"]);
    let text =
        String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(
        text.contains("`slug: other` is not the file's name `hosted`\n --> content/hosted.md:3:1"),
        "{text}"
    );
    let run = jianfan(
        site.path(),
        &["cms-config", "--backend", "github", "--repo", "site"],
    );
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("write it as owner/name"));
}
