//! The `jianfan` command line: parses the arguments, runs a command, and
//! prints its result or every error, once, with its causes.

// Pagefind's indexer and the renderer allocate many small strings; glibc's
// allocator spent a third of a 10,000-article build (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use jianfan::commands::build::{build, BuildOptions};
use jianfan::convert::default_engine;
use jianfan::diagnostic::{self, Report};

/// Build a news site in Traditional and Simplified Chinese from articles
/// written once in Traditional Chinese.
#[derive(Parser)]
#[command(name = "jianfan", version, about)]
struct Cli {
    /// The site's folder, holding site.yaml, content/, templates/ and static/.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    root: PathBuf,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site in every script into the output folder. Photos that
    /// articles show are resized for phones and desktops (WebP and their own
    /// format), and no published image keeps its EXIF, GPS, XMP or IPTC.
    /// Files unchanged since the last build are kept as they are, and
    /// articles, photos and search blocks made before are reused (cache:
    /// .jianfan-cache/).
    /// Every error of every stage is listed at once; with any error nothing
    /// is written and the previous site stays.
    Build {
        /// Where to write the site [default: public/ in the site's folder].
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include articles dated in the future (Hong Kong time).
        #[arg(long)]
        future: bool,
        /// Build for this address instead of site.yaml's `base_url`
        /// (staging, previews).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Minify HTML, CSS and JavaScript (with the cargo feature `minify`,
        /// which the release binaries have).
        #[arg(long)]
        minify: bool,
        /// Print nothing but errors and warnings (no progress bar, no summary).
        #[arg(long, short)]
        quiet: bool,
        /// Write the output files this build added, changed and removed to
        /// FILE, one a line: `A`, `M` or `D`, a tab, the path (for a deploy
        /// step that uploads and purges only those).
        #[arg(long, value_name = "FILE")]
        changes: Option<PathBuf>,
    },
    /// Check the site without writing anything: errors, Simplified
    /// characters and words in Traditional text (Hong Kong forms and
    /// Cantonese are Traditional), bold that would show as asterisks, and
    /// what to review: surnames, repaired phrases, words that may end a
    /// street's name, conversions that depend on context; and the characters
    /// Simplified pages keep that the Simplified standard lacks.
    Check {
        /// Output as readable text, as JSON for tools, or as GitHub Actions
        /// annotations.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Build, serve on this machine, and rebuild and reload pages on every
    /// save (a saved article renders only the pages that show it, and its
    /// search block is indexed again and its tier merged in the background). Errors show in the
    /// browser; the last good site stays served. Editors can write at /admin/ (Decap CMS,
    /// configured from site.yaml; saves checked as `check` checks them).
    Serve {
        /// The port to try first; the next free one is used if it is taken.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Anything but loopback exposes the
        /// preview, drafts included, to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include articles dated in the future.
        #[arg(long)]
        future: bool,
    },
    /// Write content/<SLUG>.md with complete front matter (today's date in
    /// Hong Kong, draft: true). Never overwrites.
    New {
        /// The article's URL name: lowercase ASCII letters, digits, hyphens.
        slug: String,
        /// The headline.
        #[arg(long)]
        title: String,
        /// Topic keys from site.yaml, comma-separated.
        #[arg(long, value_delimiter = ',')]
        topics: Vec<String>,
    },
    /// Turn raw newspaper text (a file, or - for standard input) into a
    /// Markdown draft in content/, and say what was recognised.
    Import {
        /// The text file, or - to read standard input.
        file: PathBuf,
        /// The draft's file name [default: the headline's pinyin].
        #[arg(long)]
        slug: Option<String>,
    },
    /// Convert one text (a headline, a paragraph, an article) as the build
    /// would for a variant: site.yaml's glossary, -{…}- markup, OpenCC, the
    /// repair pass and the variant's punctuation; to standard output.
    /// Without a site.yaml, Hong Kong Traditional to Simplified (hk2s).
    Convert(ConvertArgs),
    /// Start a hand-edited variant of an article: writes
    /// content/<SLUG>.<VARIANT>.md, which the build then uses instead of
    /// converting. Never overwrites.
    Fork {
        /// The article, by file name without `.md`.
        slug: String,
        /// The variant to write by hand, e.g. zh-hans.
        variant: String,
    },
    /// Write static/admin/config.yml and static/admin/index.html: Decap
    /// CMS at /admin/ of the published site, saving to a GitHub or GitLab
    /// repository. (`serve` has its own CMS at /admin/, no git needed.)
    CmsConfig(CmsConfigArgs),
}

/// `jianfan cms-config`'s arguments.
#[derive(clap::Args)]
struct CmsConfigArgs {
    /// Where the site's repository is.
    #[arg(long, value_enum)]
    backend: HostedBackend,
    /// The repository, owner/name.
    #[arg(long)]
    repo: String,
    /// The branch the site is built from.
    #[arg(long, default_value = "main")]
    branch: String,
    /// GitHub: the OAuth server editors log in through (Decap's
    /// `base_url`) [default: Netlify's].
    #[arg(long, value_name = "URL")]
    auth_url: Option<String>,
    /// GitLab: the application ID of a GitLab OAuth application, so
    /// editors log in with GitLab itself (PKCE, no server).
    #[arg(long, value_name = "ID")]
    app_id: Option<String>,
}

/// Where `cms-config`'s CMS saves.
#[derive(Clone, Copy, ValueEnum)]
enum HostedBackend {
    /// GitHub (Decap's `github` backend).
    Github,
    /// GitLab (Decap's `gitlab` backend).
    Gitlab,
}

/// `jianfan convert`'s arguments.
#[derive(clap::Args)]
struct ConvertArgs {
    /// The text's file, or - (the default) for standard input.
    file: Option<PathBuf>,
    /// The variant to write [default: the first one made by conversion].
    #[arg(long, value_name = "VARIANT")]
    to: Option<String>,
    /// OpenCC configs to use instead of the variant's, comma-separated
    /// (tw2s for a Taiwan text).
    #[arg(long, value_delimiter = ',', value_name = "CONFIG")]
    opencc: Vec<String>,
    /// The text is plain, not Markdown: convert every character of it.
    #[arg(long)]
    plain: bool,
    /// Also print to standard error what `check` would say of the
    /// text: Simplified characters in it, and conversions to review.
    #[arg(long)]
    review: bool,
}

/// How `check` prints its report.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Grouped, readable text.
    Text,
    /// JSON: {"errors": [...], "warnings": [...], "review": [...],
    /// "unpublished": [...], "outside_standard": [...]}.
    Json,
    /// GitHub Actions workflow commands (::error file=…,line=…,col=…::…),
    /// so a pull request shows each problem on its line.
    Github,
}

fn main() -> ExitCode {
    jianfan::publish::progress::keep_freed_memory();
    let cli = Cli::parse();
    let root = cli.root;
    match cli.command {
        Command::Build {
            output,
            drafts,
            future,
            base_url,
            minify,
            quiet,
            changes,
        } => {
            let output = output.unwrap_or_else(|| root.join(jianfan::layout::DEFAULT_OUTPUT_DIR));
            let options = BuildOptions {
                drafts,
                future,
                base_url,
                minify,
                progress: !quiet,
                changes,
                ..BuildOptions::new(&root, &output)
            };
            run_build(&root, &options, quiet)
        }
        Command::Serve {
            port,
            bind,
            open,
            drafts,
            future,
        } => serve(root, bind, port, open, drafts, future),
        Command::Check { format } => {
            let report = jianfan::commands::check::check(&root, &default_engine());
            match format {
                Format::Text => {
                    use std::io::IsTerminal;
                    let colour = std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
                    print!("{}", report.to_text(&root, colour));
                }
                Format::Json => println!("{}", report.to_json()),
                Format::Github => print!("{}", report.to_github()),
            }
            if report.has_errors() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::New {
            slug,
            title,
            topics,
        } => match jianfan::commands::new::new(&root, &slug, &title, &topics) {
            Ok(path) => {
                eprintln!(
                    "wrote {} (a draft: set `draft: false` to publish it)",
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(error) => report(&root, &error),
        },
        Command::Import { file, slug } => {
            match jianfan::commands::import::import(&root, &file, slug.as_deref()) {
                Ok((path, imported)) => {
                    eprintln!("wrote {} (a draft)", path.display());
                    for found in &imported.recognised {
                        eprintln!("  recognised: {found}");
                    }
                    for doubt in &imported.unsure {
                        eprintln!("  check: {doubt}");
                    }
                    ExitCode::SUCCESS
                }
                Err(error) => report(&root, &error),
            }
        }
        Command::Convert(args) => run_convert(&root, args),
        Command::CmsConfig(args) => run_cms_config(&root, args),
        Command::Fork { slug, variant } => {
            match jianfan::commands::fork::fork(&root, &slug, &variant, &default_engine()) {
                Ok(path) => {
                    eprintln!(
                        "wrote {}: edit it by hand; the build now uses it for {variant} instead \
                         of converting, and warns when {slug}.md changes",
                        path.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => report(&root, &error),
            }
        }
    }
}

/// `jianfan cms-config`: the hosted admin's two files.
fn run_cms_config(root: &std::path::Path, args: CmsConfigArgs) -> ExitCode {
    use jianfan::cms::config::Backend;
    let CmsConfigArgs {
        backend,
        repo,
        branch,
        auth_url,
        app_id,
    } = args;
    let backend = match (backend, &auth_url, &app_id) {
        (HostedBackend::Github, _, Some(_)) | (HostedBackend::Gitlab, Some(_), _) => {
            eprintln!("error: --auth-url is for GitHub and --app-id for GitLab; pass the one for --backend");
            return ExitCode::from(2);
        }
        (HostedBackend::Github, ..) => Backend::GitHub {
            repo,
            branch,
            auth_url,
        },
        (HostedBackend::Gitlab, ..) => Backend::GitLab {
            repo,
            branch,
            app_id,
        },
    };
    match jianfan::commands::cms_config::cms_config(root, &backend) {
        Ok([yml, page]) => {
            eprintln!(
                "wrote {} and {}: the admin is published at /admin/",
                yml.display(),
                page.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => report(root, &error),
    }
}

/// `jianfan convert`: the text on standard output, and with `review` what
/// `check` would say of it on standard error.
fn run_convert(root: &std::path::Path, args: ConvertArgs) -> ExitCode {
    let options = jianfan::commands::convert::ConvertOptions {
        file: args.file,
        to: args.to,
        opencc: args.opencc,
        plain: args.plain,
    };
    let review = args.review;
    match jianfan::commands::convert::convert(root, &options, &default_engine()) {
        Ok(converted) => {
            print!("{}", converted.text);
            if review && !converted.review.is_empty() {
                let found = converted.review.iter();
                let colour = diagnostic::colour_stderr();
                eprint!(
                    "{}",
                    diagnostic::render(found, std::path::Path::new(""), colour)
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => report(root, &error),
    }
}

/// `jianfan serve`, in a binary built with the cargo feature `serve` (the
/// default).
#[cfg(feature = "serve")]
fn serve(
    root: std::path::PathBuf,
    bind: std::net::IpAddr,
    port: u16,
    open: bool,
    drafts: bool,
    future: bool,
) -> ExitCode {
    let options = jianfan::commands::serve::ServeOptions {
        root: root.clone(),
        bind,
        port,
        drafts,
        future,
    };
    match jianfan::commands::serve::run(options, open) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report(&root, &error),
    }
}

/// Built with `--no-default-features`: no preview server, and how to get it.
#[cfg(not(feature = "serve"))]
fn serve(
    root: std::path::PathBuf,
    _: std::net::IpAddr,
    _: u16,
    _: bool,
    _: bool,
    _: bool,
) -> ExitCode {
    let error = anyhow::anyhow!(
        "serve needs a jianfan built with the cargo feature `serve`, which is on by \
         default: the release binaries have it; from source, build without \
         `--no-default-features`"
    );
    report(&root, &error)
}

/// `jianfan build`: builds, then prints the warnings and one summary line,
/// or every error.
fn run_build(root: &std::path::Path, options: &BuildOptions, quiet: bool) -> ExitCode {
    let output = &options.output;
    let started = Instant::now();
    match build(options, &default_engine()) {
        Ok(summary) => {
            for warning in &summary.warnings {
                eprintln!("{warning}");
            }
            if !quiet {
                let seconds = started.elapsed().as_secs_f64();
                if summary.published.is_none() {
                    eprintln!(
                        "nothing changed since the last build: {} is up to date \
                         ({} in {}, {seconds:.2} s)",
                        output.display(),
                        count(summary.articles, "article"),
                        count(summary.variants, "script"),
                    );
                } else {
                    let kept = reused(&summary);
                    eprintln!(
                        "built {} in {}: {} and {} in {} ({kept}{seconds:.2} s)",
                        count(summary.articles, "article"),
                        count(summary.variants, "script"),
                        count(summary.pages, "page"),
                        count(summary.static_files, "static file"),
                        output.display(),
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(error) => report(root, &error),
    }
}

/// What a build took from earlier ones, for its summary line: e.g. "1
/// article converted, the rest from the cache; 1 search block of 40
/// indexed, the rest reused; 9 files rendered, the rest kept from the last
/// build; ". Empty for a build that did everything anew.
fn reused(summary: &jianfan::commands::build::BuildSummary) -> String {
    let mut parts = Vec::new();
    if summary.converted < summary.articles {
        parts.push(match summary.converted {
            0 => "every article from the conversion cache".to_string(),
            n => format!("{} converted, the rest from the cache", count(n, "article")),
        });
    }
    if summary.indexed < summary.search_blocks {
        parts.push(match summary.indexed {
            0 => "search index reused".to_string(),
            n => format!(
                "{} of {} indexed, the rest reused",
                count(n, "search block"),
                summary.search_blocks
            ),
        });
    }
    match summary.rendered {
        0 => parts.push("all files kept from the last build".to_string()),
        n if n < summary.pages => parts.push(format!(
            "{} rendered, the rest kept from the last build",
            count(n, "file")
        )),
        _ => {}
    }
    let changes = &summary.changes;
    if summary.rendered < summary.pages && !changes.is_empty() {
        parts.push(format!(
            "{} added, {} changed, {} removed",
            changes.added.len(),
            changes.changed.len(),
            changes.removed.len()
        ));
    }
    parts.iter().map(|p| format!("{p}; ")).collect()
}

/// "1 page", "2 pages".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Prints an error and its causes once; content problems print as a list,
/// each with the offending line.
fn report(root: &std::path::Path, error: &anyhow::Error) -> ExitCode {
    if let Some(found) = error.downcast_ref::<Report>() {
        eprint!(
            "{}",
            diagnostic::render(found.sorted(), root, diagnostic::colour_stderr())
        );
        eprintln!("{}", found.summary());
    } else {
        eprintln!("error: {error}");
        for cause in error.chain().skip(1) {
            eprintln!("  caused by: {cause}");
        }
    }
    ExitCode::FAILURE
}
