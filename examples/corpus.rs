//! A synthetic newsroom archive for the benchmark (`bench/run.sh`).
//!
//! `cargo run --release --example corpus -- --articles 10000 --out DIR` writes
//! a complete site into DIR: the shipped site.yaml, templates/ and static/,
//! and N articles in content/ whose Traditional Chinese text is made of the
//! shipped articles' sentences, headings, bylines and topics. The same
//! arguments always write the same bytes (a seeded ChaCha generator), so two
//! runs of the benchmark measure the same work.
//!
//! Each body is about 2.5 KB of Markdown (`--length` sets another size), in paragraphs of
//! two to four sentences with a subheading every few paragraphs, some bold
//! text, and now and then a link to an earlier article, as a reporter writes.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Parser;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Writes a synthetic site of N articles.
#[derive(Parser)]
struct Args {
    /// How many articles to write.
    #[arg(long, default_value_t = 10_000)]
    articles: usize,
    /// The folder to write the site into (created; must not hold content/).
    #[arg(long)]
    out: PathBuf,
    /// Another seed gives another, equally realistic archive.
    #[arg(long, default_value_t = 2025)]
    seed: u64,
    /// Body size to aim for, in bytes of Markdown: 2,500 (about 830
    /// characters) by default; `--length 8000` for long features.
    #[arg(long, default_value_t = 2_500)]
    length: usize,
}

/// What the shipped articles give to draw from.
struct Material {
    sentences: Vec<String>,
    headings: Vec<String>,
    titles: Vec<String>,
    bylines: Vec<String>,
    topics: Vec<String>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let material = Material::read(repo)?;
    let content = args.out.join("content");
    if content.exists() {
        anyhow::bail!(
            "{} already exists; write the corpus into a new folder",
            content.display()
        );
    }
    fs::create_dir_all(&content)?;
    fs::copy(repo.join("site.yaml"), args.out.join("site.yaml"))?;
    for dir in ["templates", "static"] {
        copy_dir(&repo.join(dir), &args.out.join(dir))?;
    }

    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    for index in 0..args.articles {
        let text = article(&material, &mut rng, index, &args);
        fs::write(content.join(format!("{}.md", slug(index))), text)?;
    }
    println!("wrote {} articles to {}", args.articles, args.out.display());
    Ok(())
}

fn slug(index: usize) -> String {
    format!("archive-{index:05}")
}

/// One article: front matter like the shipped ones, then the body.
fn article(material: &Material, rng: &mut ChaCha8Rng, index: usize, args: &Args) -> String {
    // Ten years of archive, in order: the higher the index, the newer.
    let day = chrono_day(index, args.articles, rng);
    let how_many = rng.random_range(1..=3);
    let mut topics: Vec<&String> = material.topics.choose_multiple(rng, how_many).collect();
    topics.sort();
    let topics: Vec<&str> = topics.iter().map(|t| t.as_str()).collect();
    let title = material.titles.choose(rng).expect("titles");
    let clause = clause(material.sentences.choose(rng).expect("sentences"));
    let mut text = format!(
        "---\ntitle: {title}（{}）\nsubtitle: {clause}\ndate: {day}\nbyline: {}\ntopics: [{}]\n---\n\n",
        index + 1,
        material.bylines.choose(rng).expect("bylines"),
        topics.join(", ")
    );
    let start = text.len();
    let mut paragraphs = 0;
    while text.len() - start < args.length {
        if paragraphs > 0 && paragraphs % 4 == 0 {
            let heading = material.headings.choose(rng).expect("headings");
            text.push_str(&format!("## {heading}\n\n"));
        }
        for n in 0..rng.random_range(2..=4) {
            let sentence = material.sentences.choose(rng).expect("sentences");
            if n == 0 && rng.random_ratio(1, 5) {
                text.push_str(&format!("**{sentence}**"));
            } else {
                text.push_str(sentence);
            }
        }
        if index > 0 && rng.random_ratio(1, 8) {
            let earlier = rng.random_range(0..index);
            text.push_str(&format!("（[相關報道](@/{}.md)）", slug(earlier)));
        }
        text.push_str("\n\n");
        paragraphs += 1;
    }
    text
}

/// A date between 2015-01-01 and 2025-06-30, rising with the index, so the
/// archive has a few articles a day like a real one (2.6 a day at 10,000
/// articles, 7.8 at 30,000).
fn chrono_day(index: usize, articles: usize, rng: &mut ChaCha8Rng) -> String {
    let first = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).expect("valid date");
    let span = 3_833; // days to 2025-06-30
    let day = (index * span / articles.max(1)).min(span) as u64 + rng.random_range(0..2);
    (first + chrono::Days::new(day.min(span as u64)))
        .format("%Y-%m-%d")
        .to_string()
}

/// The first clause of a sentence, to serve as a subtitle.
fn clause(sentence: &str) -> String {
    sentence
        .split(['，', '。', '！', '？', '；', '：', '「', '」'])
        .map(str::trim)
        .find(|c| c.chars().count() >= 6)
        .unwrap_or("科技新聞")
        .to_string()
}

impl Material {
    /// Reads the shipped articles and site.yaml's topics.
    fn read(repo: &Path) -> Result<Material> {
        let mut material = Material {
            sentences: Vec::new(),
            headings: Vec::new(),
            titles: Vec::new(),
            bylines: Vec::new(),
            topics: Vec::new(),
        };
        let mut files: Vec<PathBuf> = fs::read_dir(repo.join("content"))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        files.sort();
        for file in files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "md"))
        {
            let text =
                fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
            let (front, body) = text
                .strip_prefix("---\n")
                .and_then(|rest| rest.split_once("\n---\n"))
                .with_context(|| format!("{} has no front matter", file.display()))?;
            for line in front.lines() {
                if let Some(title) = line.strip_prefix("title: ") {
                    material.titles.push(title.to_string());
                }
                if let Some(byline) = line.strip_prefix("byline: ") {
                    material.bylines.push(byline.to_string());
                }
            }
            for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
                if let Some(heading) = line.strip_prefix("## ") {
                    material.headings.push(heading.to_string());
                } else if !line.starts_with(['#', '!', '>', '[', '-', '*']) {
                    material.sentences.extend(sentences(line));
                }
            }
        }
        let site: serde_yaml::Value =
            serde_yaml::from_str(&fs::read_to_string(repo.join("site.yaml"))?)?;
        if let Some(topics) = site["topics"].as_mapping() {
            material.topics = topics
                .keys()
                .filter_map(|k| k.as_str().map(String::from))
                .collect();
        }
        anyhow::ensure!(
            !material.sentences.is_empty() && !material.topics.is_empty(),
            "the shipped site has no sentences or topics to draw from"
        );
        Ok(material)
    }
}

/// A paragraph's sentences, each keeping its closing mark (and a closing
/// quote right after it).
fn sentences(paragraph: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = paragraph.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        if matches!(c, '。' | '！' | '？') {
            while let Some(&q @ ('」' | '』' | '）')) = chars.peek() {
                current.push(q);
                chars.next();
            }
            out.push(std::mem::take(&mut current));
        }
    }
    if current.chars().count() > 10 && !current.contains("](") {
        out.push(current);
    }
    out.retain(|s| !s.contains("](") && !s.contains('*'));
    out
}

/// Copies a folder of plain files (templates/, static/).
fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry?;
        let target = to.join(entry.path().strip_prefix(from)?);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
