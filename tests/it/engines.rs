//! Both conversion engines on the same text: all shipped content and every
//! test fixture, for every OpenCC config a shipped or fixture site uses.
//! Differences come from the versions of OpenCC's dictionaries each carries;
//! they are listed in the test output (run with `--nocapture`), not hidden.
//! Runs in CI's `system-opencc` leg.

#![cfg(feature = "system-opencc")]

use jianfan::convert::{Converter, FmmsegEngine, SystemEngine};

fn markdown_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = ["content", "tests/fixtures"]
        .iter()
        .flat_map(|dir| walkdir::WalkDir::new(crate::common::repo().join(dir)))
        .map(|e| e.expect("readable").into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files
}

#[test]
fn both_engines_convert_all_content_alike() {
    let chains: [&[&str]; 2] = [&["hk2s"], &["hk2t", "t2tw"]];
    let files = markdown_files();
    assert!(files.len() >= 20, "found {} files", files.len());
    let (mut lines, mut differing) = (0usize, Vec::new());
    for chain in chains {
        let configs: Vec<String> = chain.iter().map(|c| c.to_string()).collect();
        let embedded = Converter::new(&FmmsegEngine, &configs).expect("opencc-fmmseg");
        let system = Converter::new(&SystemEngine, &configs).expect("system OpenCC");
        for file in &files {
            // The bad-input fixtures include files that are not UTF-8 on purpose.
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            for (number, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                lines += 1;
                let (a, b) = (embedded.convert(line), system.convert(line));
                if a != b {
                    let shown = file
                        .strip_prefix(crate::common::repo())
                        .unwrap_or(file)
                        .display();
                    differing.push(format!(
                        "{} {shown}:{}\n  opencc-fmmseg: {a}\n  system OpenCC: {b}",
                        chain.join("+"),
                        number + 1
                    ));
                }
            }
        }
    }
    println!(
        "{lines} lines converted with both engines; {} differ:",
        differing.len()
    );
    for difference in &differing {
        println!("{difference}");
    }
    // Dictionary versions differ on rare phrases; a large share means an
    // engine is broken or misconfigured.
    assert!(
        differing.len() * 50 <= lines,
        "{} of {lines} lines differ",
        differing.len()
    );
}
