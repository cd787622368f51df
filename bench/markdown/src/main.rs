//! `cargo run --release -- CONTENT_DIR`: renders every article body of a
//! corpus to HTML twice (as the build does, once per script) with jianfan's
//! Markdown stage and with comrak's `cjk_friendly_emphasis`, and prints the
//! time each took and how often their bold agrees.

use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: jianfan-markdown-bench CONTENT_DIR");
    let mut bodies = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("content folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("article");
        let split = jianfan::source::front_matter::split(&text).expect("front matter");
        bodies.push(split.body.to_string());
    }
    let bytes: usize = bodies.iter().map(String::len).sum();
    println!("{} bodies, {:.1} MB of Markdown", bodies.len(), bytes as f64 / 1e6);

    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.footnotes = true;
    options.extension.strikethrough = true;
    options.extension.cjk_friendly_emphasis = true;

    for round in 1..=3 {
        let started = Instant::now();
        let mut ours = Vec::with_capacity(bodies.len());
        for body in &bodies {
            let document = jianfan::convert::markdown::Document::parse(body);
            let html = document.to_html(&|t: &str| t.to_string());
            let _second = document.to_html(&|t: &str| t.to_string());
            ours.push(html);
        }
        let jianfan_ms = started.elapsed().as_secs_f64() * 1e3;
        let started = Instant::now();
        let mut theirs = Vec::with_capacity(bodies.len());
        for body in &bodies {
            let html = comrak::markdown_to_html(body, &options);
            let _second = comrak::markdown_to_html(body, &options);
            theirs.push(html);
        }
        let comrak_ms = started.elapsed().as_secs_f64() * 1e3;
        let strong = |html: &str| html.matches("<strong>").count();
        let literal = |html: &str| html.matches("**").count();
        let agree = ours
            .iter()
            .zip(&theirs)
            .filter(|(a, b)| strong(a) == strong(b) && literal(a) == literal(b))
            .count();
        let (ours_strong, theirs_strong): (usize, usize) = (
            ours.iter().map(|h| strong(h)).sum(),
            theirs.iter().map(|h| strong(h)).sum(),
        );
        let (ours_literal, theirs_literal): (usize, usize) = (
            ours.iter().map(|h| literal(h)).sum(),
            theirs.iter().map(|h| literal(h)).sum(),
        );
        if round == 1 {
            // Where the two disagree, both renderings, for a look.
            for ((a, b), body) in ours.iter().zip(&theirs).zip(&bodies).filter(|((a, b), _)| {
                strong(a) != strong(b) || literal(a) != literal(b)
            }).take(10)
            {
                println!("differs on {body:?}:\n  jianfan {a:?}\n  comrak  {b:?}");
            }
        }
        println!(
            "round {round}: jianfan (pulldown-cmark + CJK bold) {jianfan_ms:.0} ms, comrak {comrak_ms:.0} ms; \
             <strong>: {ours_strong} vs {theirs_strong}; literal **: {ours_literal} vs {theirs_literal}; \
             bodies whose bold agrees: {agree} of {}",
            bodies.len()
        );
    }
}
