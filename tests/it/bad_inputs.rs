//! The bad-input suite: each case under `tests/fixtures/bad/<case>/` is the
//! `basic` site with one thing wrong. Its `expect` file gives the exit
//! status, then fragments the error output must contain (file, line, what
//! to do). Every case also must not panic, must finish within a time limit,
//! and, when it fails, must leave the previously built site untouched.
//!
//! A case is `files/` (copied over the site), `remove` (paths to delete)
//! and `generate` (inputs too large or too odd to commit: see `generate`).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Makes the inputs a case describes in `generate`.
fn generate(site: &Path, instruction: &str) {
    let article = |body: String| {
        format!("---\ntitle: 生成的文章\ndate: 2025-03-01\ntopics: [science]\n---\n\n{body}\n")
    };
    let unescape = |s: &str| s.replace("\\n", "\n");
    if let Some(yaml) = instruction.strip_prefix("site-yaml:") {
        std::fs::write(site.join("site.yaml"), unescape(yaml)).expect("write");
    } else if let Some(change) = instruction.strip_prefix("site-yaml-replace:") {
        let (from, to) = change.split_once("=>").expect("A=>B");
        let yaml = std::fs::read_to_string(site.join("site.yaml")).expect("site.yaml");
        assert!(yaml.contains(&unescape(from)), "{from} not in site.yaml");
        std::fs::write(
            site.join("site.yaml"),
            yaml.replacen(&unescape(from), &unescape(to), 1),
        )
        .expect("write");
    } else {
        match instruction {
            "symlink-loop" => {
                #[cfg(unix)]
                std::os::unix::fs::symlink(site.join("content"), site.join("content/loop"))
                    .expect("symlink");
            }
            "huge-article" => std::fs::write(
                site.join("content/huge.md"),
                article("數碼港。".repeat(4_400_000)),
            )
            .expect("write"),
            "long-line" => std::fs::write(
                site.join("content/long.md"),
                article("港".repeat(1_000_000)),
            )
            .expect("write"),
            "nested-blockquotes" => std::fs::write(
                site.join("content/quotes.md"),
                article(format!("{}深處。", "> ".repeat(5000))),
            )
            .expect("write"),
            "nested-lists" => {
                let list: String = (0..1500)
                    .map(|depth| format!("{}- 第{depth}層\n", "  ".repeat(depth)))
                    .collect();
                std::fs::write(site.join("content/lists.md"), article(list)).expect("write");
            }
            other => panic!("unknown generate instruction {other}"),
        }
    }
}

fn run_case(case: &Path) -> Result<(), String> {
    let name = case
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let site = fixture("basic");
    let output = site.path().join("public");
    let first = Command::new(env!("CARGO_BIN_EXE_jianfan"))
        .arg("--root")
        .arg(site.path())
        .args(["build", "--quiet"])
        .output()
        .expect("runs");
    assert!(first.status.success(), "the good site builds");
    let before = snapshot(&output);

    if let Ok(list) = std::fs::read_to_string(case.join("remove")) {
        for path in list.lines().filter(|l| !l.is_empty()) {
            let path = site.path().join(path);
            if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            }
            .expect("remove");
        }
    }
    copy_tree(&case.join("files"), site.path());
    let _ = std::fs::remove_file(site.path().join(".keep"));
    if let Ok(instruction) = std::fs::read_to_string(case.join("generate")) {
        generate(site.path(), instruction.trim_end_matches('\n'));
    }

    let expect = std::fs::read_to_string(case.join("expect"))
        .map_err(|_| format!("{name}: no expect file"))?;
    let mut lines = expect.lines();
    let status: i32 = lines
        .next()
        .and_then(|l| l.trim().parse().ok())
        .ok_or(format!("{name}: expect starts with a status"))?;

    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jianfan"))
        .arg("--root")
        .arg(site.path())
        .args(["build", "--quiet"])
        .env("RUST_BACKTRACE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let code = loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            break exit.code();
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            return Err(format!("{name}: still running after {TIME_LIMIT:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = child
        .wait_with_output()
        .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
        .unwrap_or_default();
    if std::env::var_os("SHOW_BAD_INPUTS").is_some() {
        eprintln!(
            "=== {name}: exit {code:?} in {:?}\n{stderr}",
            started.elapsed()
        );
    }
    let mut problems = Vec::new();
    if code != Some(status) {
        problems.push(format!("exit {code:?}, expected {status}"));
    }
    for wanted in lines.filter(|l| !l.is_empty()) {
        let wanted = wanted.replace("\\n", "\n");
        if !stderr.contains(&wanted) {
            problems.push(format!("missing {wanted:?}"));
        }
    }
    if stderr.contains("panicked") || stderr.contains("stack backtrace") {
        problems.push("it panicked".into());
    }
    if status != 0 && snapshot(&output) != before {
        problems.push("the previous site was changed".into());
    }
    if status == 0 && !output.join("zh-hans/index.html").is_file() {
        problems.push("no site was built".into());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{name}: {}\n--- stderr ---\n{stderr}",
            problems.join("; ")
        ))
    }
}

#[test]
fn every_bad_input_gets_a_clear_error_and_loses_nothing() {
    let mut cases: Vec<_> = std::fs::read_dir(repo().join("tests/fixtures/bad"))
        .expect("cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| run_case(case).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
